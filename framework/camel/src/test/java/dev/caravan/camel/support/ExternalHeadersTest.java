package dev.caravan.camel.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.camel.migration.CaravanConstants;
import dev.caravan.camel.migration.MigrationConfiguration;
import dev.caravan.camel.objects.ObjectsConstants;
import dev.caravan.camel.records.RecordsConfiguration;
import dev.caravan.camel.records.RecordsConstants;
import dev.caravan.camel.vm.VmConfiguration;
import dev.caravan.camel.vm.VmConstants;
import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.engine.PlanResult;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.DefaultHeaderFilterStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Headers from outside (an HTTP request, a JMS message) must not reach the Caravan components: every header name
 * they read or write starts with {@code Camel}, which Camel's HTTP and JMS consumers drop. The filters here are
 * configured as camel-http-common's {@code HttpHeaderFilterStrategy} (lower-cased match, since HTTP names are
 * case-insensitive) and camel-jms's {@code JmsHeaderFilterStrategy} (exact match), neither of which is on the
 * offline class path.
 */
class ExternalHeadersTest {
    private static final List<Class<?>> CONSTANTS = List.of(CaravanConstants.class, ObjectsConstants.class,
            RecordsConstants.class, VmConstants.class);

    @TempDir
    Path tmp;

    private static DefaultHeaderFilterStrategy camelFilter(boolean lowerCase) {
        DefaultHeaderFilterStrategy strategy = new DefaultHeaderFilterStrategy();
        strategy.setInFilterStartsWith(DefaultHeaderFilterStrategy.CAMEL_FILTER_STARTS_WITH);
        strategy.setOutFilterStartsWith(DefaultHeaderFilterStrategy.CAMEL_FILTER_STARTS_WITH);
        strategy.setLowerCase(lowerCase);
        return strategy;
    }

    private static List<String> declaredHeaderNames() throws IllegalAccessException {
        List<String> names = new ArrayList<>();
        for (Class<?> constants : CONSTANTS) {
            for (Field f : constants.getFields()) {
                if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                    names.add((String) f.get(null));
                }
            }
        }
        return names;
    }

    /** The override header of every endpoint option, as the components derive it. */
    private static List<String> optionOverrideHeaderNames() {
        List<String> names = new ArrayList<>();
        addOptionHeaders(names, MigrationConfiguration.class, CaravanConstants::headerOf);
        addOptionHeaders(names, RecordsConfiguration.class, CaravanConstants::headerOf);
        addOptionHeaders(names, VmConfiguration.class, VmConstants::headerOf);
        return names;
    }

    private static void addOptionHeaders(List<String> names, Class<?> configuration, UnaryOperator<String> headerOf) {
        for (Field f : configuration.getDeclaredFields()) {
            UriParam p = f.getAnnotation(UriParam.class);
            if (p != null) {
                names.add(headerOf.apply(p.prefix().isEmpty() ? f.getName() : p.prefix().replace(".", "") + "Options"));
            }
        }
    }

    @Test
    void everyDeclaredHeaderIsDroppedInboundByCamelsHttpAndJmsFilters() throws Exception {
        List<String> names = declaredHeaderNames();
        assertThat(names).contains(CaravanConstants.TARGET, CaravanConstants.MODE, ObjectsConstants.KEY,
                VmConstants.DOMAIN).hasSizeGreaterThan(100);
        assertAllDroppedInbound(names);
    }

    @Test
    void everyOptionOverrideHeaderIsDroppedInboundByCamelsHttpAndJmsFilters() {
        List<String> names = optionOverrideHeaderNames();
        assertThat(names).contains(CaravanConstants.TARGET, CaravanConstants.MAX_DELETE, VmConstants.TARGET);
        assertAllDroppedInbound(names);
    }

    private static void assertAllDroppedInbound(List<String> names) {
        DefaultHeaderFilterStrategy http = camelFilter(true);
        DefaultHeaderFilterStrategy jms = camelFilter(false);
        for (String name : names) {
            for (String sent : List.of(name, name.toLowerCase(Locale.ROOT), name.toUpperCase(Locale.ROOT))) {
                assertThat(http.applyFilterToExternalHeaders(sent, "x", null)).as("HTTP header " + sent).isTrue();
            }
            assertThat(jms.applyFilterToExternalHeaders(name, "x", null)).as("JMS property " + name).isTrue();
        }
    }

    /**
     * Camel's JMS filter matches {@code Camel} as written, while Camel finds headers ignoring case: a JMS property
     * {@code CAMELCARAVANTARGET} passes the filter. The components take an input header only under its exact name.
     */
    @Test
    void aPlanFedByAJmsLikeConsumerIgnoresCaseVariantsThatPassItsFilter() throws Exception {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put(CaravanConstants.TARGET.toUpperCase(Locale.ROOT), "ELSEWHERE");
        message.put("cAMELCaravanMode", "sync");
        message.put(CaravanConstants.OPERATION.toUpperCase(Locale.ROOT), "migrate");
        message.put("JMSCorrelationID", "c1");
        PlanResult plan = planFedBy(camelFilter(false), message).getMessage().getBody(PlanResult.class);
        assertThat(plan.spec().target()).doesNotContain("elsewhere");
        assertThat(plan.spec().mode()).isNotEqualTo(dev.caravan.core.plan.Mode.SYNC);
    }

    /** A route's own header, set under the exact name, still overrides the URI. */
    @Test
    void aHeaderTheRouteSetsUnderItsExactNameStillOverridesTheUri() throws Exception {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put(CaravanConstants.TARGET, "ELSEWHERE");
        PlanResult plan = planFedBy(null, message).getMessage().getBody(PlanResult.class);
        assertThat(plan.spec().target()).contains("elsewhere");
    }

    /**
     * Plans src -> dst (the URI's target; src holds one.txt, dst nothing), the message's headers set through
     * {@code filter} (none: all set); a header value ELSEWHERE stands for the location of another directory.
     */
    private Exchange planFedBy(DefaultHeaderFilterStrategy filter, Map<String, Object> headers) throws Exception {
        Path source = Files.createDirectories(tmp.resolve("src"));
        Path target = Files.createDirectories(tmp.resolve("dst"));
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Files.writeString(source.resolve("one.txt"), UUID.randomUUID().toString());
        try (MigrationEngine engine = MigrationEngine.open(EngineSettings.defaults().withHome(tmp.resolve("home")));
             CamelContext context = new DefaultCamelContext()) {
            context.getRegistry().bind("engine", engine);
            context.start();
            Exchange planned = context.createProducerTemplate().request("caravan:plan?source=local:" + source
                    + "&target=local:" + target + "&name=unit", e -> headers.forEach((name, value) -> {
                        Object v = "ELSEWHERE".equals(value) ? "local:" + elsewhere : value;
                        if (filter == null || !filter.applyFilterToExternalHeaders(name, v, e)) {
                            e.getMessage().setHeader(name, v);
                        }
                    }));
            assertThat(planned.getException()).isNull();
            return planned;
        }
    }

    @Test
    void aPlanFedByAnHttpLikeConsumerUsesTheUrisTargetWhateverTheRequestSends() throws Exception {
        Map<String, Object> request = new LinkedHashMap<>(); // as sent: today's names, their case variants, old names
        for (String name : List.of(CaravanConstants.TARGET, CaravanConstants.TARGET.toLowerCase(Locale.ROOT),
                "CaravanTarget")) {
            request.put(name, "ELSEWHERE");
        }
        request.put(CaravanConstants.MODE.toUpperCase(Locale.ROOT), "sync");
        request.put("CaravanMode", "sync");
        request.put("X-Request-Id", "r1");
        Exchange planned = planFedBy(camelFilter(true), request);
        assertThat(planned.getMessage().getHeader("X-Request-Id")).isEqualTo("r1");
        PlanResult plan = planned.getMessage().getBody(PlanResult.class);
        assertThat(plan.spec().target()).contains("dst").doesNotContain("elsewhere");
        assertThat(plan.summary().transferCount()).as("one.txt is missing in the URI's target").isEqualTo(1);
    }
}
