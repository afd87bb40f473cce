package io.voicecoach.tools;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.specification.RequestSpecification;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.ToolCall;
import io.voicecoach.events.ToolResult;
import io.voicecoach.platform.security.ServiceCredentials;
import io.voicecoach.platform.testing.GatewayCredentialStub;
import io.voicecoach.tools.calls.AnsweredCall;
import io.voicecoach.tools.calls.ToolCallHandler;
import io.voicecoach.tools.seed.DemoData;
import io.voicecoach.tools.seed.DemoSeeder;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Calls tools through {@link ToolCallHandler} (the Kafka consumer's path without the broker) and checks results. */
final class Calls {

    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private final ToolCallHandler handler;
    private final String session = "sess_" + UUID.randomUUID();

    Calls(ToolCallHandler handler) {
        this.handler = handler;
    }

    /** A request as another service makes it to the internal endpoints: with the service credential. */
    static RequestSpecification asService() {
        return given().header(ServiceCredentials.HEADER, GatewayCredentialStub.SERVICE_TOKEN);
    }

    ToolResult call(String tenant, String tool, String argumentsJson) {
        return answer(tenant, tool, argumentsJson).result();
    }

    AnsweredCall answer(String tenant, String tool, String argumentsJson) {
        return handler.answer(tenant, session, new ToolCall("call_" + UUID.randomUUID(), tool, json(argumentsJson),
                "test", 15000));
    }

    static JsonNode ok(ToolResult result) {
        assertThat(result.status()).as("result %s", result).isEqualTo(ToolResult.OK);
        return result.result();
    }

    static ToolResult error(ToolResult result, String code) {
        assertThat(result.status()).as("result %s", result).isEqualTo(ToolResult.ERROR);
        assertThat(result.error().code()).as("result %s", result).isEqualTo(code);
        return result;
    }

    static JsonNode json(String text) {
        try {
            return text == null ? null : EventJson.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    /** A weekday (Tuesday to Friday) at least {@code weeksAhead} weeks away, as YYYY-MM-DD in New York. */
    static LocalDate weekday(int weeksAhead, DayOfWeek day) {
        var date = LocalDate.now(NEW_YORK).plusWeeks(weeksAhead);
        while (date.getDayOfWeek() != day) {
            date = date.plusDays(1);
        }
        return date;
    }

    /**
     * A fresh tenant with a New York calendar open every day 08:00-18:00 in 30-minute slots, {@code bays} bays, an
     * {@code oil_change} (30 min) and a {@code brake_job} (60 min), and one customer, {@code +16175550199}.
     */
    static String calendarTenant(DemoSeeder seeder, String prefix, int bays) {
        String tenant = prefix + "-" + UUID.randomUUID();
        var hours = List.of(1, 2, 3, 4, 5, 6, 7).stream()
                .map(d -> new DemoData.HoursSeed(d, "08:00", "18:00")).toList();
        var bayList = java.util.stream.IntStream.rangeClosed(1, bays)
                .mapToObj(i -> new DemoData.BaySeed("bay-" + i, "Bay " + i)).toList();
        var data = new DemoData(new DemoData.CalendarSeed("America/New_York", 30), hours, bayList,
                List.of(new DemoData.ServiceTypeSeed("oil_change", "Oil change", 30),
                        new DemoData.ServiceTypeSeed("brake_job", "Brake job", 60)),
                List.of(new DemoData.CustomerSeed("Race Tester", "+16175550199", null, null)),
                null, null, null);
        QuarkusTransaction.requiringNew().run(() -> seeder.seed(tenant, data));
        return tenant;
    }
}
