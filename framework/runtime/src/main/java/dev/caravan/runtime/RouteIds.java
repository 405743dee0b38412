package dev.caravan.runtime;

import dev.caravan.api.error.MigrationException;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Each route of the route files has an id of its own: Camel keeps only the last of two routes with one id (a
 * {@code templatedRoute} block copied and not renamed), and the first migration would silently never run. Checked
 * before the routes are loaded, across all files; {@code route} ({@code id}) and {@code templatedRoute}
 * ({@code routeId}) blocks. Also, each parameter of a {@code templatedRoute} is given once ({@link
 * #checkParametersOnce}). A file that is not well-formed YAML is left to the loader, which names its line.
 */
final class RouteIds {
    private RouteIds() {
    }

    /** USER_CONFIG naming both places when two routes of {@code files} have the same id. */
    static void checkUnique(List<Path> files) {
        Map<String, String> seen = new HashMap<>();
        for (Path file : files) {
            for (Map.Entry<String, Integer> id : ids(file)) {
                String where = file + ":" + id.getValue();
                String before = seen.putIfAbsent(id.getKey(), where);
                if (before != null) {
                    throw MigrationException.userConfig(where + ": route id '" + id.getKey() + "' is used already"
                            + " at " + before + "; give each route an id of its own (of two routes with one id only"
                            + " the last would run)");
                }
            }
        }
    }

    /**
     * USER_CONFIG naming both lines when a {@code templatedRoute} gives one parameter twice with different values:
     * Camel silently takes the last, so a copied line ({@code target}, {@code mode}) would decide unseen, where the
     * command line refuses an option given twice. The values are not shown (one may be a secret); the same value
     * twice is harmless.
     */
    static void checkParametersOnce(List<Path> files) {
        for (Path file : files) {
            for (Node item : items(file)) {
                if (!(item instanceof MappingNode block) || block.getValue().size() != 1
                        || !"templatedRoute".equals(scalar(block.getValue().get(0).getKeyNode()))
                        || !(block.getValue().get(0).getValueNode() instanceof MappingNode body)) {
                    continue;
                }
                String routeId = value(body, "routeId").map(ScalarNode::getValue).orElse("?");
                Map<String, ScalarNode> seen = new HashMap<>();
                for (Node p : node(body, "parameters").stream().flatMap(RouteIds::sequence).toList()) {
                    Optional<ScalarNode> name = p instanceof MappingNode m ? value(m, "name") : Optional.empty();
                    Optional<ScalarNode> v = p instanceof MappingNode m ? value(m, "value") : Optional.empty();
                    if (name.isEmpty() || v.isEmpty()) {
                        continue;
                    }
                    ScalarNode before = seen.putIfAbsent(name.get().getValue(), v.get());
                    if (before != null && !before.getValue().equals(v.get().getValue())) {
                        throw MigrationException.userConfig(file + ":" + line(v.get()) + ": parameter '"
                                + name.get().getValue() + "' of templatedRoute '" + routeId + "' is given twice with"
                                + " different values (also at line " + line(before) + "); give it once (Camel would"
                                + " take the last one)");
                    }
                }
            }
        }
    }

    /** The route ids of one file with their 1-based lines, in file order. */
    private static List<Map.Entry<String, Integer>> ids(Path file) {
        List<Map.Entry<String, Integer>> out = new java.util.ArrayList<>();
        for (Node item : items(file)) {
            idOf(item).ifPresent(out::add);
        }
        return out;
    }

    /** The top-level items of the route files' sequences; none for a file that is not well-formed YAML. */
    private static List<Node> items(Path file) {
        List<Node> out = new java.util.ArrayList<>();
        LoadSettings settings = LoadSettings.builder().setLabel(file.toString()).build();
        try (Reader reader = Files.newBufferedReader(file)) {
            Composer composer = new Composer(settings, new ParserImpl(settings, new StreamReader(settings, reader)));
            while (composer.hasNext()) {
                if (composer.next() instanceof SequenceNode routes) {
                    out.addAll(routes.getValue());
                }
            }
        } catch (IOException | UncheckedIOException | YamlEngineException e) {
            return List.of(); // the loader reports it, with file, line and column
        }
        return out;
    }

    private static Optional<Node> node(MappingNode map, String key) {
        return map.getValue().stream().filter(t -> key.equals(scalar(t.getKeyNode()))).map(NodeTuple::getValueNode)
                .findFirst();
    }

    private static Optional<ScalarNode> value(MappingNode map, String key) {
        return node(map, key).filter(ScalarNode.class::isInstance).map(ScalarNode.class::cast);
    }

    private static java.util.stream.Stream<Node> sequence(Node node) {
        return node instanceof SequenceNode s ? s.getValue().stream() : java.util.stream.Stream.empty();
    }

    private static int line(Node node) {
        return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }

    private static Optional<Map.Entry<String, Integer>> idOf(Node item) {
        if (!(item instanceof MappingNode block) || block.getValue().size() != 1) {
            return Optional.empty();
        }
        NodeTuple kind = block.getValue().get(0);
        String idKey = switch (scalar(kind.getKeyNode())) {
            case "route" -> "id";
            case "templatedRoute" -> "routeId";
            default -> null;
        };
        if (idKey == null || !(kind.getValueNode() instanceof MappingNode body)) {
            return Optional.empty();
        }
        for (NodeTuple t : body.getValue()) {
            if (idKey.equals(scalar(t.getKeyNode())) && t.getValueNode() instanceof ScalarNode id) {
                int line = id.getStartMark().map(m -> m.getLine() + 1).orElse(0);
                return Optional.of(Map.entry(id.getValue(), line));
            }
        }
        return Optional.empty();
    }

    private static String scalar(Node node) {
        return node instanceof ScalarNode s ? s.getValue() : "";
    }
}
