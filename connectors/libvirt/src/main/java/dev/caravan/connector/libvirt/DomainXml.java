package dev.caravan.connector.libvirt;

import dev.caravan.api.error.MigrationException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * Reads and rewrites libvirt domain XML with the JDK's DOM parser (external entities off). Pure functions: no
 * libvirt calls, so unit tests feed it strings.
 */
final class DomainXml {

    /**
     * A disk as written in the XML; {@code backingFile} is the image its source is an overlay on (the first
     * {@code <backingStore>} with a source), or {@code null}.
     */
    record Disk(String target, String device, String type, String source, String sourcePool, String sourceVolume,
            String format, boolean readOnly, boolean shareable, String backingFile) {
    }

    /** An interface as written in the XML. */
    record Nic(String mac, String type, String source, String model) {
    }

    /** The parts of a domain the connector needs. */
    record Parsed(String name, String uuid, String type, String arch, String machine, String emulator, int vcpus,
            String cpuMode, String cpuModel, String cpuXml, long memoryBytes, List<Disk> disks, List<Nic> nics) {
    }

    private DomainXml() {
    }

    static Parsed parse(String xml) {
        Element root = document(xml).getDocumentElement();
        Element os = child(root, "os");
        Element osType = os == null ? null : child(os, "type");
        Element cpu = child(root, "cpu");
        Element devices = child(root, "devices");
        List<Disk> disks = new ArrayList<>();
        List<Nic> nics = new ArrayList<>();
        String emulator = null;
        if (devices != null) {
            emulator = text(child(devices, "emulator"));
            for (Element d : children(devices, "disk")) {
                disks.add(disk(d));
            }
            for (Element i : children(devices, "interface")) {
                Element src = child(i, "source");
                String source = src == null ? null : firstAttr(src, "network", "bridge", "dev", "path");
                nics.add(new Nic(attr(child(i, "mac"), "address"), i.getAttribute("type"), source,
                        attr(child(i, "model"), "type")));
            }
        }
        String cpuModel = cpu == null ? null : text(child(cpu, "model"));
        String cpuMode = cpu == null ? null : (cpu.hasAttribute("mode") ? cpu.getAttribute("mode")
                : cpuModel != null ? "custom" : null);
        return new Parsed(text(child(root, "name")), text(child(root, "uuid")), root.getAttribute("type"),
                osType == null ? null : blankToNull(osType.getAttribute("arch")),
                osType == null ? null : blankToNull(osType.getAttribute("machine")), emulator,
                parseInt(text(child(root, "vcpu")), 1), cpuMode, cpuModel, cpu == null ? null : serialize(cpu),
                memory(child(root, "memory")), disks, nics);
    }

    /**
     * The state of the block copy of the disk {@code target} as the live XML shows it: {@code null} when the disk
     * has no {@code <mirror>} (no copy, or a libvirt that does not show it), else its {@code ready} attribute:
     * {@code "yes"} once the copy mirrors the disk and may pivot, {@code ""} before, {@code "abort"} or {@code
     * "pivot"} while it ends.
     */
    static String mirrorState(String xml, String target) {
        Element devices = child(document(xml).getDocumentElement(), "devices");
        if (devices == null) {
            return null;
        }
        for (Element d : children(devices, "disk")) {
            if (target.equals(attr(child(d, "target"), "dev"))) {
                Element mirror = child(d, "mirror");
                return mirror == null ? null : mirror.getAttribute("ready");
            }
        }
        return null;
    }

    /** The XML with the {@code <source file|dev>} of disks replaced ({@code old -> new}). */
    static String withDiskSources(String xml, Map<String, String> sources) {
        if (sources.isEmpty()) {
            return xml;
        }
        Document doc = document(xml);
        Element devices = child(doc.getDocumentElement(), "devices");
        if (devices != null) {
            for (Element d : children(devices, "disk")) {
                Element src = child(d, "source");
                if (src == null) {
                    continue;
                }
                for (String a : List.of("file", "dev")) {
                    String now = src.getAttribute(a);
                    if (!now.isEmpty() && sources.containsKey(now)) {
                        src.setAttribute(a, sources.get(now));
                    }
                }
            }
        }
        return serialize(doc.getDocumentElement());
    }

    private static Disk disk(Element d) {
        Element src = child(d, "source");
        String type = d.getAttribute("type");
        String source = null;
        String pool = null;
        String volume = null;
        if (src != null) {
            if ("volume".equals(type)) {
                pool = blankToNull(src.getAttribute("pool"));
                volume = blankToNull(src.getAttribute("volume"));
                source = pool + "/" + volume;
            } else if ("network".equals(type)) {
                source = src.getAttribute("protocol") + ":" + src.getAttribute("name");
            } else {
                source = firstAttr(src, "file", "dev", "dir", "name");
            }
        }
        Element target = child(d, "target");
        return new Disk(attr(target, "dev"), d.hasAttribute("device") ? d.getAttribute("device") : "disk", type,
                source, pool, volume, attr(child(d, "driver"), "type"), child(d, "readonly") != null,
                child(d, "shareable") != null, backingFile(child(d, "backingStore")));
    }

    private static String backingFile(Element backingStore) {
        Element src = backingStore == null ? null : child(backingStore, "source");
        return src == null ? null : firstAttr(src, "file", "dev", "name");
    }

    static long memory(Element mem) {
        if (mem == null) {
            return 0;
        }
        long v = Long.parseLong(mem.getTextContent().trim());
        String unit = mem.getAttribute("unit").toLowerCase(Locale.ROOT);
        return switch (unit) {
            case "b", "bytes" -> v;
            case "k", "kb" -> v * 1000;
            case "mb" -> v * 1000_000;
            case "m", "mib" -> v << 20;
            case "gb" -> v * 1000_000_000;
            case "g", "gib" -> v << 30;
            case "t", "tib" -> v << 40;
            default -> v << 10; // KiB is libvirt's default unit
        };
    }

    static Document document(String xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setNamespaceAware(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(new org.xml.sax.helpers.DefaultHandler()); // throw, don't print
            return b.parse(new InputSource(new StringReader(xml)));
        } catch (Exception e) {
            throw MigrationException.userData("not valid libvirt XML: " + e.getMessage());
        }
    }

    static String serialize(Element e) {
        try {
            Transformer t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            StringWriter w = new StringWriter();
            t.transform(new DOMSource(e), new StreamResult(w));
            return w.toString();
        } catch (Exception ex) {
            throw new IllegalStateException("cannot write XML", ex);
        }
    }

    static Element child(Element parent, String name) {
        if (parent == null) {
            return null;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        NodeList list = parent.getChildNodes();
        for (int i = 0; i < list.getLength(); i++) {
            if (list.item(i) instanceof Element e && e.getTagName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }

    static String text(Element e) {
        return e == null ? null : blankToNull(e.getTextContent().trim());
    }

    static String attr(Element e, String name) {
        return e == null ? null : blankToNull(e.getAttribute(name));
    }

    private static String firstAttr(Element e, String... names) {
        for (String n : names) {
            if (e.hasAttribute(n)) {
                return e.getAttribute(n);
            }
        }
        return null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static int parseInt(String s, int fallback) {
        try {
            return s == null ? fallback : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
