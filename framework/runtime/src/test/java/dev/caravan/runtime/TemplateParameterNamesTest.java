package dev.caravan.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Connector messages that name options ("check the endpoint option") are said in the parameters of the template the
 * route was made from, as a template user can only give those. The context is never started: the names come from the
 * route and template definitions.
 */
class TemplateParameterNamesTest {
    private DefaultCamelContext context;
    private TemplateParameterNames names;

    @BeforeEach
    void define() throws Exception {
        context = new DefaultCamelContext();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                routeTemplate("tpl").templateParameter("targetEndpoint", "").templateParameter("targetRegion", "x")
                        .templateParameter("targetCreateBucket", "false").templateParameter("connectionString", "")
                        .from("timer:t?repeatCount=1")
                        .to("caravan:migrate?target.endpoint={{?targetEndpoint}}&target.region={{targetRegion}}"
                                + "&target.createBucket={{targetCreateBucket}}"
                                + "&source.connectionString=RAW({{?connectionString}})");
                from("direct:made").routeId("made")
                        .routeProperty(TemplateParameterNames.TEMPLATE_PROPERTY, "tpl").to("log:made");
                from("direct:own").routeId("own").to("log:own");
            }
        });
        names = new TemplateParameterNames(() -> context);
    }

    @AfterEach
    void close() throws Exception {
        context.close();
    }

    @Test
    void anOptionAssignedInAMessageIsSaidAsTheTemplateParameter() {
        assertThat(names.inRoute("made", "bucket b does not exist (createBucket=true creates it)"))
                .isEqualTo("bucket b does not exist (the template parameter targetCreateBucket=true creates it)");
    }

    @Test
    void theOptionNamedInProseIsSaidAsTheTemplateParameter() {
        assertThat(names.inRoute("made", "connection refused (is the server running? check the endpoint option)"))
                .isEqualTo("connection refused (is the server running? check the template parameter targetEndpoint)");
        assertThat(names.inRoute("made", "unknown host h (check the endpoint and region options)"))
                .isEqualTo("unknown host h (check the template parameters targetEndpoint and targetRegion)");
    }

    @Test
    void anOptionTheTemplateDoesNotMapStaysAsItIs() {
        String message = "cannot connect to http://h/acct (connection refused): check the accountKey option";
        assertThat(names.inRoute("made", message)).isEqualTo(message);
        String pair = "unknown host h (check the endpoint and account options)";
        assertThat(names.inRoute("made", pair)).isEqualTo(pair);
    }

    @Test
    void anOptionWhoseParameterHasItsNameStaysAsItIs() {
        String message = "check the connectionString option";
        assertThat(names.inRoute("made", message)).isEqualTo(message);
    }

    @Test
    void aRouteNotMadeFromATemplateKeepsTheConnectorsWords() {
        String message = "connection refused (is the server running? check the endpoint option)";
        assertThat(names.inRoute("own", message)).isEqualTo(message);
    }
}
