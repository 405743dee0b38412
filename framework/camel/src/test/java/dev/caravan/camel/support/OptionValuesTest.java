package dev.caravan.camel.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.core.plan.Compare;
import org.junit.jupiter.api.Test;

class OptionValuesTest {
    @Test
    void globListsSplitOnTopLevelCommasOnly() {
        assertThat(OptionValues.globs("**/*.{csv,txt}, logs/**,[a,b]*")).containsExactly("**/*.{csv,txt}",
                "logs/**", "[a,b]*");
        assertThat(OptionValues.globs(" ")).isEmpty();
        assertThat(OptionValues.globs(null)).isEmpty();
    }

    @Test
    void enumsIgnoreCaseAndDashes() {
        assertThat(OptionValues.enumValue("compare", "size-mtime", Compare.class, null)).isEqualTo(Compare.SIZE_MTIME);
        assertThat(OptionValues.enumValue("compare", "CHECKSUM", Compare.class, null)).isEqualTo(Compare.CHECKSUM);
        assertThat(OptionValues.enumValue("compare", "", Compare.class, Compare.SIZE)).isEqualTo(Compare.SIZE);
        assertThatThrownBy(() -> OptionValues.enumValue("compare", "md5", Compare.class, null))
                .hasMessage("option 'compare': 'md5' is not one of size-mtime, size, checksum");
    }

    @Test
    void sizesAndNumbers() {
        assertThat(OptionValues.size("bandwidth", "10M", 0)).isEqualTo(10L << 20);
        assertThat(OptionValues.size("bandwidth", null, 7)).isEqualTo(7);
        assertThatThrownBy(() -> OptionValues.intValue("transfers", "four", 0))
                .hasMessage("option 'transfers': expected a whole number, got 'four'");
    }
}
