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
 * ({@code routeId}) blocks. A file that is not well-formed YAML is left to the loader, which names its line.
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

    /** The route ids of one file with their 1-based lines, in file order. */
    private static List<Map.Entry<String, Integer>> ids(Path file) {
        List<Map.Entry<String, Integer>> out = new java.util.ArrayList<>();
        LoadSettings settings = LoadSettings.builder().setLabel(file.toString()).build();
        try (Reader reader = Files.newBufferedReader(file)) {
            Composer composer = new Composer(settings, new ParserImpl(settings, new StreamReader(settings, reader)));
            while (composer.hasNext()) {
                if (composer.next() instanceof SequenceNode routes) {
                    for (Node item : routes.getValue()) {
                        idOf(item).ifPresent(out::add);
                    }
                }
            }
        } catch (IOException | UncheckedIOException | YamlEngineException e) {
            return List.of(); // the loader reports it, with file, line and column
        }
        return out;
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
