package org.apache.camel.archfixture;

/** Fixture: stands for a Camel type (Camel is not on the testkit class path). */
public class FakeExchange {
}
