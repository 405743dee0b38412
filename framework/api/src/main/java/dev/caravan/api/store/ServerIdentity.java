package dev.caravan.api.store;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * One name for a server however a location writes it, for {@link ObjectStore#rootLocation}: two locations on one
 * server must be seen as overlapping even when one says {@code localhost} and the other {@code 127.0.0.1}, or
 * {@code HTTP://Host} and {@code http://host:80} (else a sync whose source lies inside its target deletes the source).
 * A host is resolved: one whose addresses all belong to this machine (loopback, any-local, or an address of one of its
 * interfaces) is {@value #THIS_MACHINE}; another is the sorted list of its addresses; a name that does not resolve
 * stays as written, in lower case. Two names of one server that resolve to different addresses (a CDN) are not seen
 * as one.
 */
public final class ServerIdentity {
    /** The host of every address of this machine. */
    public static final String THIS_MACHINE = "this-machine";

    private ServerIdentity() {
    }

    /** The host's identity (see the class). */
    public static String host(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        InetAddress[] all;
        try {
            all = InetAddress.getAllByName(h);
        } catch (UnknownHostException | SecurityException e) {
            return h;
        }
        if (all.length == 0) {
            return h;
        }
        if (Arrays.stream(all).allMatch(ServerIdentity::thisMachine)) {
            return THIS_MACHINE;
        }
        return Arrays.stream(all).map(InetAddress::getHostAddress).sorted().distinct()
                .collect(Collectors.joining(","));
    }

    /**
     * An endpoint URL's identity: {@code scheme://host-identity:port/path}, the scheme in lower case, the scheme's
     * default port written out, the path without trailing slashes. Text that is no such URL is returned as it is.
     */
    public static String endpoint(String url) {
        URI u;
        try {
            u = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            return url;
        }
        if (u.getScheme() == null || u.getHost() == null) {
            return url;
        }
        String scheme = u.getScheme().toLowerCase(Locale.ROOT);
        int port = u.getPort() >= 0 ? u.getPort() : switch (scheme) {
            case "http" -> 80;
            case "https" -> 443;
            default -> -1;
        };
        String path = u.getRawPath() == null ? "" : u.getRawPath().replaceAll("/+$", "");
        return scheme + "://" + host(u.getHost()) + (port >= 0 ? ":" + port : "") + path;
    }

    private static boolean thisMachine(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress()) {
            return true;
        }
        try {
            return NetworkInterface.getByInetAddress(a) != null;
        } catch (SocketException e) {
            return false;
        }
    }
}
