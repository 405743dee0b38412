/**
 * Embedding Caravan on camel-main: {@link dev.caravan.runtime.CaravanRuntime} loads YAML route files and the route
 * templates on the class path ({@code caravan/routes/**}) and runs or plans them; {@link dev.caravan.runtime.Migration}
 * is the fluent Java facade that writes {@code caravan:migrate} URIs for the Java DSL.
 */
package dev.caravan.runtime;
