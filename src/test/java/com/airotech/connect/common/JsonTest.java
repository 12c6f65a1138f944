package com.airotech.connect.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void aParserLimitIsExplainedWithoutTheLibrarysInternals() {
        byte[] deep = ("[".repeat(5000) + "]".repeat(5000)).getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Json.parseObject(deep))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo("invalid_json");
                    assertThat(e.getMessage()).contains("nesting depth").contains("1000")
                            .doesNotContain("StreamReadConstraints").doesNotContain("`").doesNotContain("Source");
                });
    }

    @Test
    void aSyntaxErrorSaysWhatWasWrongWithoutTheSource() {
        assertThatThrownBy(() -> Json.parseObject("{\"a\": tru}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo("invalid_json");
                    assertThat(e.getMessage()).startsWith("The request body is not valid JSON: ").contains("tru").doesNotContain("[Source");
                });
    }

    @Test
    void anUnclosedArraySaysWhereItWasOpened() {
        assertThatThrownBy(() -> Json.parseObject("{\"data\": [1, 2".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage())
                        .contains("expected close marker for Array (opened at line 1, column 10)")
                        .doesNotContain("Source").doesNotContain("byte[]"));
    }
}
