package dev.caravan.core.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.api.error.MigrationException;
import dev.caravan.core.plan.Compare;
import dev.caravan.core.plan.Filters;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.Mode;
import dev.caravan.core.verify.VerifyMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiPredicate;

/** A migration definition as JSON, kept in the journal for {@code caravan resume}. Secrets are masked. */
final class SpecJson {
    static final String MASK = "****";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SpecJson() {
    }

    /** @param isSecret tells whether an option of the source ({@code true}) or target side is a secret */
    static String write(MigrationSpec s, BiPredicate<Boolean, String> isSecret) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("name", s.name());
        n.put("source", s.source());
        n.set("sourceOptions", options(s.sourceOptions(), k -> isSecret.test(true, k)));
        n.put("target", s.target());
        n.set("targetOptions", options(s.targetOptions(), k -> isSecret.test(false, k)));
        n.put("mode", s.mode().name());
        n.set("include", MAPPER.valueToTree(s.filters().include()));
        n.set("exclude", MAPPER.valueToTree(s.filters().exclude()));
        n.put("minSize", s.filters().minSize());
        n.put("maxSize", s.filters().maxSize());
        n.put("minAge", s.filters().minAge() == null ? null : s.filters().minAge().toString());
        n.put("maxAge", s.filters().maxAge() == null ? null : s.filters().maxAge().toString());
        n.put("compare", s.compare().name());
        n.put("verify", s.verify().name());
        n.put("maxDelete", s.maxDelete());
        n.put("transfers", s.transfers());
        n.put("bandwidth", s.bandwidth());
        n.put("retries", s.retries());
        n.put("retryBaseDelay", s.retryBaseDelay().toString());
        return n.toString();
    }

    static MigrationSpec read(String json) {
        try {
            JsonNode n = MAPPER.readTree(json);
            Filters filters = new Filters(strings(n.get("include")), strings(n.get("exclude")),
                    n.get("minSize").asLong(), n.get("maxSize").asLong(), duration(n.get("minAge")),
                    duration(n.get("maxAge")));
            return MigrationSpec.builder(n.get("source").asText(), n.get("target").asText())
                    .name(n.get("name").asText())
                    .sourceOptions(map(n.get("sourceOptions")))
                    .targetOptions(map(n.get("targetOptions")))
                    .mode(Mode.valueOf(n.get("mode").asText()))
                    .filters(filters)
                    .compare(Compare.valueOf(n.get("compare").asText()))
                    .verify(VerifyMode.valueOf(n.get("verify").asText()))
                    .maxDelete(n.get("maxDelete").isNull() ? null : n.get("maxDelete").asText())
                    .transfers(n.get("transfers").asInt())
                    .bandwidth(n.get("bandwidth").asLong())
                    .retries(n.get("retries").asInt())
                    .retryBaseDelay(Duration.parse(n.get("retryBaseDelay").asText()))
                    .build();
        } catch (JsonProcessingException | RuntimeException e) {
            throw MigrationException.userConfig("the journal holds no usable definition of this run: " + e.getMessage());
        }
    }

    private static ObjectNode options(Map<String, String> options, java.util.function.Predicate<String> secret) {
        ObjectNode o = MAPPER.createObjectNode();
        new TreeMap<>(options).forEach((k, v) -> o.put(k, secret.test(k) ? MASK : v));
        return o;
    }

    private static Map<String, String> map(JsonNode n) {
        Map<String, String> m = new TreeMap<>();
        n.fields().forEachRemaining(e -> {
            if (MASK.equals(e.getValue().asText())) {
                throw MigrationException.userConfig("option '" + e.getKey() + "' is a secret and was not kept in the"
                        + " journal: resume by running the migration's file again");
            }
            m.put(e.getKey(), e.getValue().asText());
        });
        return m;
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.forEach(x -> out.add(x.asText()));
        return out;
    }

    private static Duration duration(JsonNode n) {
        return n == null || n.isNull() ? null : Duration.parse(n.asText());
    }
}
