package dev.caravan.camel.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.caravan.api.store.ObjectInfo;
import dev.caravan.camel.FiniteConsumer;
import dev.caravan.camel.testing.MemoryStore;
import dev.caravan.camel.testing.MemoryStoreProvider;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ObjectsConsumerTest {
    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    private final String src = "src-" + UUID.randomUUID();
    private final String dst = "dst-" + UUID.randomUUID();
    private CamelContext context;

    @BeforeEach
    void fill() {
        MemoryStore.Data s = MemoryStoreProvider.space(src);
        s.put("a.txt", bytes("same"), T0);
        s.put("b/c.csv", bytes("new"), T0);
        s.put("d.txt", bytes("changed!"), T0);
        MemoryStore.Data d = MemoryStoreProvider.space(dst);
        d.put("a.txt", bytes("same"), T0);
        d.put("d.txt", bytes("old"), T0);
        d.put("e.txt", bytes("extra"), T0);
        context = new DefaultCamelContext();
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    private void route(String from, String to) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(from).routeId("diff").to(to);
            }
        });
        context.start();
    }

    @Test
    void emitsOneExchangePerObjectToMoveInKeyOrder() throws Exception {
        route("caravan-objects:mem:" + src + "?target=mem:" + dst + "&once=true&mode=sync", "mock:out");
        MockEndpoint out = context.getEndpoint("mock:out", MockEndpoint.class);
        out.expectedMessageCount(3);
        out.assertIsSatisfied(10_000);

        List<Exchange> got = out.getReceivedExchanges();
        assertThat(got).extracting(e -> e.getIn().getHeader(ObjectsConstants.KEY))
                .containsExactly("b/c.csv", "d.txt", "e.txt");
        assertThat(got).extracting(e -> e.getIn().getHeader(ObjectsConstants.ACTION))
                .containsExactly("COPY", "REPLACE", "DELETE");
        assertThat(got.get(1).getIn().getHeader(ObjectsConstants.REASON)).isEqualTo("size 8 on source, 3 on target");
        assertThat(got.get(0).getIn().getBody(ObjectInfo.class).size()).isEqualTo(3);
        assertThat(got.get(0).getIn().getHeader(ObjectsConstants.SIZE)).isEqualTo(3L);
        assertThat(got.get(0).getIn().getHeader(ObjectsConstants.TARGET_STORE)).isEqualTo("mem:" + dst);
        FiniteConsumer consumer = (FiniteConsumer) context.getRoute("diff").getConsumer();
        await().atMost(Duration.ofSeconds(10)).until(consumer::finished);
    }

    @Test
    void copyModeNeverDeletesAndFiltersApply() throws Exception {
        route("caravan-objects:mem:" + src + "?target=mem:" + dst + "&once=true&include=*.txt", "mock:out");
        MockEndpoint out = context.getEndpoint("mock:out", MockEndpoint.class);
        out.expectedMessageCount(1);
        out.assertIsSatisfied(10_000);
        assertThat(out.getReceivedExchanges().get(0).getIn().getHeader(ObjectsConstants.KEY)).isEqualTo("d.txt");
    }

    @Test
    void temporaryLeftoversOnTheTargetAreRemovedNotEmitted() throws Exception {
        MemoryStoreProvider.space(dst).put("b/.c.csv.caravan-0123456789ab.partial", bytes("ne"), T0);
        route("caravan-objects:mem:" + src + "?target=mem:" + dst + "&once=true", "mock:out");
        MockEndpoint out = context.getEndpoint("mock:out", MockEndpoint.class);
        out.expectedHeaderValuesReceivedInAnyOrder(ObjectsConstants.KEY, "b/c.csv", "d.txt");
        out.assertIsSatisfied(10_000);
        FiniteConsumer consumer = (FiniteConsumer) context.getRoute("diff").getConsumer();
        await().atMost(Duration.ofSeconds(10)).until(consumer::finished);
        assertThat(MemoryStoreProvider.space(dst).keys()).containsExactlyInAnyOrder("a.txt", "d.txt", "e.txt");
    }

    @Test
    void prefixNarrowsBothListings() throws Exception {
        MemoryStoreProvider.space(dst).put("b/old.csv", bytes("old"), T0);
        route("caravan-objects:mem:" + src + "?target=mem:" + dst + "&once=true&mode=sync&prefix=b/", "mock:out");
        MockEndpoint out = context.getEndpoint("mock:out", MockEndpoint.class);
        out.expectedMessageCount(2);
        out.assertIsSatisfied(10_000);
        assertThat(out.getReceivedExchanges()).extracting(e -> e.getIn().getHeader(ObjectsConstants.KEY) + " "
                + e.getIn().getHeader(ObjectsConstants.ACTION)).containsExactly("b/c.csv COPY", "b/old.csv DELETE");
    }

    @Test
    void withoutTargetEveryObjectIsListed() throws Exception {
        route("caravan-objects:mem:" + src + "?once=true", "mock:out");
        MockEndpoint out = context.getEndpoint("mock:out", MockEndpoint.class);
        out.expectedMessageCount(3);
        out.expectedHeaderValuesReceivedInAnyOrder(ObjectsConstants.KEY, "a.txt", "b/c.csv", "d.txt");
        out.assertIsSatisfied(10_000);
    }

    @Test
    void consumerAndCopyProducerMakeTheTargetIdentical() throws Exception {
        String srcUri = "caravan-objects:mem:" + src;
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(srcUri + "?target=mem:" + dst + "&once=true&mode=sync").routeId("sync")
                        .choice()
                            .when(header(ObjectsConstants.ACTION).isEqualTo("DELETE"))
                                .to("caravan-objects:mem:" + dst + "?operation=delete")
                            .otherwise()
                                .to(srcUri + "?operation=copy")
                        .end()
                        .to("mock:done");
            }
        });
        context.start();
        MockEndpoint done = context.getEndpoint("mock:done", MockEndpoint.class);
        done.expectedMessageCount(3);
        done.assertIsSatisfied(10_000);

        MemoryStore.Data s = MemoryStoreProvider.space(src);
        MemoryStore.Data d = MemoryStoreProvider.space(dst);
        assertThat(d.keys()).isEqualTo(s.keys());
        for (String key : s.keys()) {
            assertThat(d.get(key)).as(key).isEqualTo(s.get(key));
        }
        assertThat(done.getReceivedExchanges().get(0).getIn().getHeader(ObjectsConstants.COPY_METHOD))
                .isEqualTo("stream");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
