package dev.caravan.runtime;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.EndpointAware;
import org.apache.camel.Navigate;
import org.apache.camel.Processor;
import org.apache.camel.Route;

/** Finds the endpoints of one type that the routes of a context send to, for planning them without running. */
final class RouteEndpoints {
    private RouteEndpoints() {
    }

    /**
     * An endpoint and the route that sends to it.
     *
     * @param routeId the route, or {@code null} for an endpoint reached only through dynamic or nested steps
     */
    record Located<T extends Endpoint>(String routeId, T endpoint) {
        /** {@code route 'id'}, or the endpoint URI when no route is known. */
        String where() {
            return routeId == null ? endpoint.getEndpointUri() : "route '" + routeId + "'";
        }
    }

    /** Every endpoint of the type, once each: those of the routes in route order, then any other the context has. */
    static <T extends Endpoint> List<Located<T>> all(CamelContext context, Class<T> type) {
        Set<Endpoint> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Located<T>> out = new ArrayList<>();
        for (Route route : context.getRoutes()) {
            for (T endpoint : find(route.navigate(), seen, type)) {
                out.add(new Located<>(route.getRouteId(), endpoint));
            }
        }
        for (Endpoint endpoint : context.getEndpoints()) {
            if (type.isInstance(endpoint) && seen.add(endpoint)) {
                out.add(new Located<>(null, type.cast(endpoint)));
            }
        }
        return out;
    }

    /** The endpoints of the type the processors send to (depth first), skipping those already seen. */
    static <T extends Endpoint> List<T> find(Navigate<Processor> nav, Set<Endpoint> seen, Class<T> type) {
        List<T> out = new ArrayList<>();
        if (nav == null || !nav.hasNext()) {
            return out;
        }
        for (Processor p : nav.next()) {
            if (p instanceof EndpointAware aware && type.isInstance(aware.getEndpoint())
                    && seen.add(aware.getEndpoint())) {
                out.add(type.cast(aware.getEndpoint()));
            }
            if (p instanceof Navigate<?> child) {
                @SuppressWarnings("unchecked")
                Navigate<Processor> next = (Navigate<Processor>) child;
                out.addAll(find(next, seen, type));
            }
        }
        return out;
    }
}
