package dev.caravan.camel.records;

import java.util.function.Function;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * A {@code caravan-records:<operation>} endpoint: one table or record migration (or one format conversion) that
 * each exchange runs, plans, verifies or converts. Producer only.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "caravan-records", title = "Caravan records",
             syntax = "caravan-records:operation", producerOnly = true,
             category = { Category.DATABASE, Category.FILE }, headersClass = RecordsConstants.class)
public class RecordsEndpoint extends DefaultEndpoint {

    @UriPath(enums = "migrate,plan,verify,convert",
             description = "What each exchange does: migrate, plan or verify tables/records, or convert files")
    @Metadata(required = true)
    private final RecordsOperation operation;
    @UriParam
    private final RecordsConfiguration configuration;

    RecordsEndpoint(String uri, CaravanRecordsComponent component, RecordsOperation operation,
            RecordsConfiguration configuration) {
        super(uri, component);
        this.operation = operation;
        this.configuration = configuration;
    }

    @Override
    public CaravanRecordsComponent getComponent() {
        return (CaravanRecordsComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        return new RecordsProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("caravan-records: endpoints only run record migrations (use them in"
                + " to:)");
    }

    public RecordsOperation getOperation() {
        return operation;
    }

    /** The endpoint options (a private copy). */
    public RecordsConfiguration getConfiguration() {
        return configuration.copy();
    }

    /** The request of one exchange: this endpoint's options with header overrides. */
    public RecordsRequest request(RecordsOperation op, Function<String, Object> headers, String defaultName) {
        return RecordSpecFactory.toRequest(op, configuration, headers, defaultName, getComponent().registry());
    }

    /**
     * What {@code caravan plan --sample N} shows for this endpoint, as text; nothing is written. For
     * {@code migrate}, {@code plan} and {@code verify}: per table the columns (source type -> target type), the
     * target DDL (the type mapping), the splits and {@code sampleRows} converted rows ({@code RecordMigrationEngine
     * .plan}); for {@code convert}: the type mapping table and the first records as the target format holds them
     * ({@code FormatConversion.sample}).
     *
     * @throws dev.caravan.api.error.MigrationException USER_CONFIG / NOT_FOUND for bad input
     */
    public String preview(int sampleRows) {
        RecordsRequest r = request();
        if (r.operation() == RecordsOperation.CONVERT) {
            return dev.caravan.camel.records.operations.ConvertRecords.sample(getComponent().registry(),
                    r.conversion(), sampleRows).toText();
        }
        return dev.caravan.camel.records.operations.PlanRecords.text(getComponent().engine().plan(r.table(),
                sampleRows));
    }

    /** The request of the endpoint options alone (e.g. for {@code caravan plan}). */
    public RecordsRequest request() {
        return request(operation, h -> null, null);
    }
}
