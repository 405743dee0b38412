package dev.caravan.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.caravan.api.vm.PreflightCheck;
import dev.caravan.core.engine.PlanResult;
import dev.caravan.core.plan.PlanSummary;
import dev.caravan.core.plan.PlannedAction;
import dev.caravan.runtime.PlanOutcome;
import dev.caravan.runtime.RecordPlan;
import dev.caravan.runtime.VmPlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code caravan plan --json}: plans as one JSON document on standard output, for scripts. Connector options are
 * left out (they may hold secrets; passwords in locations are masked); locations, counts, bytes, sample actions,
 * preflight checks, forecast and refusal are in, and for record migrations the type mapping, DDL and sample
 * records, for VM moves the preflight checks.
 */
final class PlanJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PlanJson() {
    }

    /** {@code {"exitCode": n, "plans": [...], "records": [...], "vms": [...], "errors": [...]}}. */
    static String render(PlanOutcome outcome, int exitCode) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("exitCode", exitCode);
        doc.put("plans", outcome.plans().stream().map(PlanJson::plan).toList());
        doc.put("records", outcome.records().stream().map(PlanJson::records).toList());
        doc.put("vms", outcome.vms().stream().map(PlanJson::vm).toList());
        doc.put("errors", outcome.errors());
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
        sum.put("metadata", counted(s.metadataCount(), s.metadataBytes()));
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
        m.put("preflight", checks(p.preflight()));
        m.put("forecastSeconds", p.forecast() == null ? null : p.forecast().toMillis() / 1000.0);
        return m;
    }

    private static List<Object> checks(List<PreflightCheck> preflight) {
        List<Object> checks = new ArrayList<>();
        for (PreflightCheck c : preflight) {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("name", c.name());
            cm.put("status", c.status().name());
            cm.put("detail", c.detail());
            checks.add(cm);
        }
        return checks;
    }

    static Map<String, Object> records(RecordPlan p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("route", p.route());
        m.put("operation", p.operation());
        m.put("source", p.source());
        m.put("target", p.target());
        List<Object> tables = new ArrayList<>();
        for (RecordPlan.TablePlan t : p.tables()) {
            Map<String, Object> tm = new LinkedHashMap<>();
            tm.put("name", t.name());
            tm.put("splits", t.splits());
            List<Object> columns = new ArrayList<>();
            for (RecordPlan.ColumnMapping c : t.columns()) {
                Map<String, Object> cm = new LinkedHashMap<>();
                cm.put("sourceColumn", c.sourceColumn());
                cm.put("sourceType", c.sourceType());
                cm.put("targetColumn", c.targetColumn());
                cm.put("targetType", c.targetType());
                cm.put("rule", c.rule());
                columns.add(cm);
            }
            tm.put("columns", columns);
            tm.put("targetDdl", t.targetDdl());
            tm.put("sampleColumns", t.sampleColumns());
            tm.put("sample", t.sample());
            tm.put("rejects", t.rejects());
            tables.add(tm);
        }
        m.put("tables", tables);
        return m;
    }

    static Map<String, Object> vm(VmPlan p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("route", p.route());
        m.put("kind", p.kind().name().toLowerCase(Locale.ROOT));
        m.put("domain", p.domain());
        m.put("source", p.source());
        m.put("target", p.target());
        m.put("refused", p.refused());
        m.put("preflight", checks(p.checks()));
        return m;
    }

    private static Map<String, Object> counted(long count, long bytes) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("objects", count);
        m.put("bytes", bytes);
        return m;
    }
}
