package io.voicecoach.coaching.call;

import io.voicecoach.coaching.session.StateJson;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The legs of a call as the call's task keeps them, and the records it refuses. */
class CallLegsTest {

    private static final Instant AT = Instant.parse("2026-12-07T10:00:00Z");

    @Test
    void eachLegHearsTheOthersAndALegThatLeftIsNotJoinedAgain() {
        var call = new CallLegs();
        assertThat(call.join("rep", AT, 8)).isTrue();
        assertThat(call.join("customer", AT, 8)).isTrue();
        assertThat(call.othersThan("customer")).containsExactly("rep");
        assertThat(call.othersThan("rep")).containsExactly("customer");

        call.leave("customer");
        assertThat(call.join("customer", AT, 8)).as("a late record of a leg that left").isFalse();
        assertThat(call.othersThan("rep")).isEmpty();

        var restored = StateJson.read(StateJson.write(call), CallLegs.class);
        assertThat(restored.sessions()).isEqualTo(Set.of("rep"));
        assertThat(restored.join("customer", AT, 8)).as("remembered across a restore").isFalse();
    }

    @Test
    void aCallHasAtMostMaxLegs() {
        var call = new CallLegs();
        assertThat(call.join("a", AT, 2)).isTrue();
        assertThat(call.join("b", AT, 2)).isTrue();
        assertThat(call.join("c", AT, 2)).isFalse();
        assertThat(call.join("a", AT, 2)).as("already a leg").isTrue();
        assertThat(call.sessions()).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void recordsAreCheckedAgainstTheirKey() {
        var speech = new LegSpeech("u1", "customer", true, AT, AT.plusSeconds(2));
        var talk = new CallTalk(CallTalk.SPEECH, UUID.randomUUID(), "t1", "call", "s1", AT, speech);
        assertThat(talk.problem(CallKeys.of("t1", "call"))).isNull();
        assertThat(talk.problem(CallKeys.of("t2", "call"))).as("another tenant's call").isNotNull();
        assertThat(new CallTalk(CallTalk.SPEECH, UUID.randomUUID(), "t1", "call", "s1", AT,
                new LegSpeech("u1", "customer", true, AT.plusSeconds(2), AT)).problem(CallKeys.of("t1", "call")))
                .contains("ends before it starts");

        var far = new FarSpeech(UUID.randomUUID(), "t1", "s2", "call", "s1", AT, speech);
        assertThat(far.problem("s2")).isNull();
        assertThat(far.problem("s3")).as("steered to another session").isNotNull();

        var json = TalkJson.<FarSpeech>serializer().serialize("coach.leg.talk", far);
        assertThat(TalkJson.deserializer(FarSpeech.class).deserialize("coach.leg.talk", json).value()).isEqualTo(far);
        assertThat(TalkJson.deserializer(FarSpeech.class).deserialize("coach.leg.talk", "null".getBytes()).problem())
                .isNotNull();
    }
}
