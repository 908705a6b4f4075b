package io.emojivoto.tracecontext;

import static org.assertj.core.api.Assertions.assertThat;

import io.emojivoto.tracecontext.Reading.Found;
import io.emojivoto.tracecontext.Reading.Invalid;
import org.junit.jupiter.api.Test;

/** The single b3 header, with the B3 spec's own examples (openzipkin/b3-propagation, "Single Header"). */
class B3SingleTest {

    @Test
    void the_specs_examples() {
        Found full = (Found) B3Single.read("80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1-05e3ac9a4f6e3b90");
        assertThat(full.ids().high()).isEqualTo(0x80f198ee56343ba8L);
        assertThat(full.ids().low()).isEqualTo(0x64fe8b2a57d3eff7L);
        assertThat(full.ids().span()).isEqualTo(0xe457b5a2e4d86bd1L);
        assertThat(full.sampled()).isTrue();
        Found deferred = (Found) B3Single.read("80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1");
        assertThat(deferred.sampled()).isNull();
        assertThat(((Found) B3Single.read("80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-d")).debug()).isTrue();
        Found denyOnly = (Found) B3Single.read("0");
        assertThat(denyOnly.ids()).isNull();
        assertThat(denyOnly.sampled()).isFalse();
    }

    @Test
    void a_64_bit_trace_id() {
        assertThat(((Found) B3Single.read("64fe8b2a57d3eff7-e457b5a2e4d86bd1-1")).ids().high()).isZero();
    }

    @Test
    void what_the_spec_does_not_allow() {
        for (String bad : new String[] {"", "2", "10", "80f198ee56343ba864fe8b2a57d3eff7", "80f198ee56343ba864fe8b2a57d3eff7-",
                "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-", "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-11",
                "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1-zz", "80F198EE56343BA864FE8B2A57D3EFF7-e457b5a2e4d86bd1-1",
                "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1-05e3ac9a4f6e3b90-extra", "0".repeat(32) + "-e457b5a2e4d86bd1-1"}) {
            assertThat(B3Single.read(bad)).as(bad).isInstanceOf(Invalid.class);
        }
        assertThat(B3Single.read(null)).isSameAs(Reading.NONE);
    }
}
