package dev.caravan.application.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Orders steps by their {@code after} dependencies (a DAG): unknown ids and cycles are errors naming them. */
final class StepGraph {
    private StepGraph() {
    }

    /**
     * Kahn's algorithm, keeping the file order among steps that are ready at the same time.
     *
     * @param steps the steps in file order
     * @param nodes the YAML node of each step id, for error locations
     */
    static List<Step> sort(List<Step> steps, Map<String, YamlNode> nodes) {
        Map<String, Step> byId = new LinkedHashMap<>();
        steps.forEach(s -> byId.put(s.id(), s));
        for (Step s : steps) {
            for (String a : s.after()) {
                if (!byId.containsKey(a)) {
                    YamlNode at = nodes.get(s.id()).map.getOrDefault("after", nodes.get(s.id()));
                    throw at.error("step '" + s.id() + "' runs after unknown step '" + a + "'; steps: "
                            + byId.keySet());
                }
                if (a.equals(s.id())) {
                    throw nodes.get(s.id()).error("step '" + s.id() + "' cannot run after itself");
                }
            }
        }
        List<Step> out = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        while (out.size() < steps.size()) {
            Step ready = null;
            for (Step s : steps) {
                if (!done.contains(s.id()) && done.containsAll(s.after())) {
                    ready = s;
                    break;
                }
            }
            if (ready == null) {
                List<String> cycle = cycle(steps, done, byId);
                throw nodes.get(cycle.get(0)).error("the steps' 'after' dependencies form a cycle: "
                        + String.join(" -> ", cycle));
            }
            out.add(ready);
            done.add(ready.id());
        }
        return out;
    }

    /** One cycle among the steps not yet ordered, as ids a -> b -> ... -> a. */
    private static List<String> cycle(List<Step> steps, Set<String> done, Map<String, Step> byId) {
        String start = steps.stream().filter(s -> !done.contains(s.id())).findFirst().orElseThrow().id();
        List<String> path = new ArrayList<>();
        String at = start;
        while (!path.contains(at)) {
            path.add(at);
            at = byId.get(at).after().stream().filter(a -> !done.contains(a)).findFirst().orElseThrow();
        }
        List<String> loop = new ArrayList<>(path.subList(path.indexOf(at), path.size()));
        loop.add(at);
        return loop;
    }
}
