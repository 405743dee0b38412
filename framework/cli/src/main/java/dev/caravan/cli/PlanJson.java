package dev.caravan.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.caravan.api.vm.PreflightCheck;
import dev.caravan.core.engine.PlanResult;
import dev.caravan.core.plan.PlanSummary;
import dev.caravan.core.plan.PlannedAction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code caravan plan --json}: plans as one JSON document on standard output, for scripts. Connector options are
 * left out (they may hold secrets); locations, counts, bytes, sample actions, preflight checks, forecast and
 * refusal are in.
 */
final class PlanJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PlanJson() {
    }

    /** {@code {"exitCode": n, "plans": [...], "errors": [...]}}. */
    static String render(List<PlanResult> plans, List<String> errors, int exitCode) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("exitCode", exitCode);
        List<Object> list = new ArrayList<>();
        for (PlanResult p : plans) {
            list.add(plan(p));
        }
        doc.put("plans", list);
        doc.put("errors", errors);
        try {
            return MAPPER.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the plan as JSON", e);
        }
    }

    static Map<String, Object> plan(PlanResult p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.spec().name());
        m.put("migrationId", p.spec().migrationId());
        m.put("source", p.spec().source());
        m.put("target", p.spec().target());
        m.put("mode", p.spec().mode().name().toLowerCase(Locale.ROOT));
        m.put("runnable", p.runnable());
        m.put("refusal", p.refusal());
        PlanSummary s = p.summary();
        Map<String, Object> sum = new LinkedHashMap<>();
        sum.put("copy", counted(s.copyCount(), s.copyBytes()));
        sum.put("replace", counted(s.replaceCount(), s.replaceBytes()));
        sum.put("delete", counted(s.deleteCount(), s.deleteBytes()));
        sum.put("same", counted(s.sameCount(), s.sameBytes()));
        sum.put("sourceObjects", s.sourceCount());
        sum.put("targetObjects", s.targetCount());
        m.put("summary", sum);
        List<Object> sample = new ArrayList<>();
        for (PlannedAction a : p.sample()) {
            Map<String, Object> am = new LinkedHashMap<>();
            am.put("action", a.action());
            am.put("key", a.key());
            am.put("size", a.size());
            am.put("reason", a.reason());
            sample.add(am);
        }
        m.put("sample", sample);
        List<Object> checks = new ArrayList<>();
        for (PreflightCheck c : p.preflight()) {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("name", c.name());
            cm.put("status", c.status().name());
            cm.put("detail", c.detail());
            checks.add(cm);
        }
        m.put("preflight", checks);
        m.put("forecastSeconds", p.forecast() == null ? null : p.forecast().toMillis() / 1000.0);
        return m;
    }

    private static Map<String, Object> counted(long count, long bytes) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("objects", count);
        m.put("bytes", bytes);
        return m;
    }
}
