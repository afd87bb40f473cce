package io.voicecoach.tools;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.platform.testing.GatewayCredentialStub;
import io.voicecoach.tools.calendar.Appointments;
import io.voicecoach.tools.calls.ToolCallHandler;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.OffsetDateTime;
import java.util.UUID;

import static io.voicecoach.tools.Calls.error;
import static io.voicecoach.tools.Calls.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** The automotive service desk tools against the seeded demo dealership (tenant {@code demo}). */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "tool"))
@QuarkusTestResource(GatewayCredentialStub.class)
@QuarkusTestResource(KnowledgeSearchStub.class)
class DealershipToolsTest {

    private static final String DEMO = "demo";

    @Inject
    ToolCallHandler handler;

    @Inject
    Appointments appointments;

    private Calls calls;

    @BeforeEach
    void calls() {
        calls = new Calls(handler);
    }

    @Test
    void lookupCustomerNormalisesThePhoneNumber() {
        for (String phone : new String[]{"+16175550101", "(617) 555-0101", "617.555.0101", "1 617 555 0101",
                "+1 617-555-0101", "0016175550101"}) {
            var result = ok(calls.call(DEMO, "lookup_customer", "{\"phone\": \"" + phone + "\"}"));
            assertThat(result.path("found").asBoolean()).as(phone).isTrue();
            assertThat(result.path("customer").path("name").asText()).isEqualTo("Maria Gonzalez");
            assertThat(result.path("customer").path("phone").asText()).isEqualTo("+16175550101");
            assertThat(result.path("customer").path("vehicles").get(0).path("vin").asText())
                    .isEqualTo("1HGCM82633A004352");
        }
        var unknown = ok(calls.call(DEMO, "lookup_customer", "{\"phone\": \"617 555 0999\"}"));
        assertThat(unknown.path("found").asBoolean()).isFalse();
        assertThat(unknown.path("phone").asText()).isEqualTo("+16175550999");

        assertThat(error(calls.call(DEMO, "lookup_customer", "{\"phone\": \"call me maybe\"}"), "invalid_arguments")
                .error().message()).contains("'phone' is not a phone number");
        assertThat(error(calls.call(DEMO, "lookup_customer", "{}"), "invalid_arguments").error().message())
                .contains("'phone' is required");
    }

    @Test
    void decodeVinChecksTheCheckDigitAndReadsManufacturerAndModelYear() {
        var honda = ok(calls.call(DEMO, "decode_vin", "{\"vin\": \"1hgcm82633a004352\"}"));
        assertThat(honda.path("vin").asText()).isEqualTo("1HGCM82633A004352");
        assertThat(honda.path("manufacturer").asText()).isEqualTo("Honda");
        assertThat(honda.path("modelYear").asInt()).isEqualTo(2003);
        assertThat(honda.path("region").asText()).startsWith("North America");
        assertThat(honda.path("checkDigitValid").asBoolean()).isTrue();
        assertThat(honda.path("serialNumber").asText()).isEqualTo("004352");

        var tesla = ok(calls.call(DEMO, "decode_vin", "{\"vin\": \"5YJ3E1EA2KF317000\"}"));
        assertThat(tesla.path("manufacturer").asText()).isEqualTo("Tesla");
        assertThat(tesla.path("modelYear").asInt()).isEqualTo(2019);

        // one misheard character: the check digit no longer matches
        var misheard = error(calls.call(DEMO, "decode_vin", "{\"vin\": \"1HGCM82633A004353\"}"), "invalid_vin");
        assertThat(misheard.error().message()).contains("check digit", "repeat");
        // I, O and Q never occur; the schema rejects them before the tool runs
        error(calls.call(DEMO, "decode_vin", "{\"vin\": \"1HGCM82633A00435O\"}"), "invalid_arguments");
        error(calls.call(DEMO, "decode_vin", "{\"vin\": \"1HGCM826\"}"), "invalid_arguments");

        // outside North America the check digit is informative only
        var bmw = ok(calls.call(DEMO, "decode_vin", "{\"vin\": \"WBA8E9G50GNT00003\"}"));
        assertThat(bmw.path("manufacturer").asText()).isEqualTo("BMW");
        assertThat(bmw.path("checkDigitRequired").asBoolean()).isFalse();
        assertThat(bmw.path("checkDigitValid").asBoolean()).isFalse();
    }

    @Test
    void slotsRespectBusinessHoursDurationAndCapacity() {
        var tuesday = Calls.weekday(3, DayOfWeek.TUESDAY);
        var slots = ok(calls.call(DEMO, "get_available_slots", "{\"service_type\": \"annual_service\", \"from_date\": \""
                + tuesday + "\", \"to_date\": \"" + tuesday + "\", \"limit\": 50}"));
        assertThat(slots.path("durationMinutes").asInt()).isEqualTo(120);
        var list = slots.path("slots");
        // 08:00 .. 16:00 every 30 minutes: a 120-minute service must end by 18:00
        assertThat(list).hasSize(17);
        assertThat(OffsetDateTime.parse(list.get(0).path("start").asText()).toLocalTime()).hasToString("08:00");
        assertThat(OffsetDateTime.parse(list.get(16).path("start").asText()).toLocalTime()).hasToString("16:00");
        assertThat(list.get(0).path("baysFree").asInt()).isEqualTo(3);
        assertThat(list.get(0).path("label").asText()).startsWith("Tuesday");

        // Sunday is closed
        var sunday = Calls.weekday(3, DayOfWeek.SUNDAY);
        assertThat(ok(calls.call(DEMO, "get_available_slots", "{\"service_type\": \"oil_change\", \"from_date\": \""
                + sunday + "\", \"to_date\": \"" + sunday + "\"}")).path("slots")).isEmpty();

        var unknownType = error(calls.call(DEMO, "get_available_slots", "{\"service_type\": \"car_wash\"}"),
                "invalid_arguments");
        assertThat(unknownType.error().message()).contains("oil_change", "brake_inspection");
        error(calls.call(DEMO, "get_available_slots", "{\"service_type\": \"oil_change\", \"from_date\": \"next week\"}"),
                "invalid_arguments");
    }

    @Test
    void bookListRescheduleAndCancel() {
        var wednesday = Calls.weekday(4, DayOfWeek.WEDNESDAY);
        String start = wednesday + "T09:00";
        var booked = ok(calls.call(DEMO, "book_appointment", "{\"phone\": \"(617) 555-0102\", \"service_type\": "
                + "\"brake_inspection\", \"start\": \"" + start + "\", \"vin\": \"1FTFW1E51NFA00001\", \"notes\": \"squeal\"}"));
        String id = booked.path("appointmentId").asText();
        assertThat(booked.path("customerName").asText()).isEqualTo("James Carter");
        assertThat(booked.path("status").asText()).isEqualTo("booked");
        assertThat(OffsetDateTime.parse(booked.path("end").asText()))
                .isEqualTo(OffsetDateTime.parse(booked.path("start").asText()).plusMinutes(60));

        var afterBooking = ok(calls.call(DEMO, "get_available_slots", "{\"service_type\": \"brake_inspection\", "
                + "\"from_date\": \"" + wednesday + "\", \"to_date\": \"" + wednesday + "\", \"limit\": 50}"));
        for (var slot : afterBooking.path("slots")) {
            var time = OffsetDateTime.parse(slot.path("start").asText()).toLocalTime().toString();
            // the 60-minute booking at 09:00 takes a bay from the slots overlapping 09:00-10:00
            int expected = time.equals("08:30") || time.equals("09:00") || time.equals("09:30") ? 2 : 3;
            assertThat(slot.path("baysFree").asInt()).as(time).isEqualTo(expected);
        }

        var upcoming = ok(calls.call(DEMO, "get_upcoming_appointments", "{\"phone\": \"+16175550102\"}"));
        assertThat(upcoming.path("appointments").findValuesAsText("appointmentId")).contains(id);

        var moved = ok(calls.call(DEMO, "reschedule_appointment", "{\"appointment_id\": \"" + id
                + "\", \"start\": \"" + wednesday + "T15:30\"}"));
        assertThat(OffsetDateTime.parse(moved.path("start").asText()).toLocalTime()).hasToString("15:30");
        assertThat(moved.path("bay").asText()).isEqualTo(booked.path("bay").asText());

        // outside opening hours, off the slot grid, in the past
        assertThat(error(calls.call(DEMO, "reschedule_appointment", "{\"appointment_id\": \"" + id
                + "\", \"start\": \"" + wednesday + "T17:30\"}"), "not_allowed").error().message()).contains("opening hours");
        error(calls.call(DEMO, "reschedule_appointment", "{\"appointment_id\": \"" + id
                + "\", \"start\": \"" + wednesday + "T10:10\"}"), "not_allowed");
        error(calls.call(DEMO, "book_appointment", "{\"phone\": \"+16175550102\", \"service_type\": \"oil_change\", "
                + "\"start\": \"2020-01-07T09:00\"}"), "not_allowed");

        var cancelled = ok(calls.call(DEMO, "cancel_appointment", "{\"appointment_id\": \"" + id + "\", \"reason\": \"sold the car\"}"));
        assertThat(cancelled.path("status").asText()).isEqualTo("cancelled");
        // cancelling again answers the same; the slot is free again
        assertThat(ok(calls.call(DEMO, "cancel_appointment", "{\"appointment_id\": \"" + id + "\"}"))
                .path("status").asText()).isEqualTo("cancelled");
        var freed = ok(calls.call(DEMO, "get_available_slots", "{\"service_type\": \"brake_inspection\", "
                + "\"from_date\": \"" + wednesday + "\", \"to_date\": \"" + wednesday + "\", \"limit\": 50}"));
        assertThat(freed.path("slots")).allSatisfy(s -> assertThat(s.path("baysFree").asInt()).isEqualTo(3));
        assertThat(ok(calls.call(DEMO, "get_upcoming_appointments", "{\"phone\": \"+16175550102\"}"))
                .path("appointments").findValuesAsText("appointmentId")).doesNotContain(id);
        error(calls.call(DEMO, "reschedule_appointment", "{\"appointment_id\": \"" + id
                + "\", \"start\": \"" + wednesday + "T11:00\"}"), "not_allowed");
        error(calls.call(DEMO, "cancel_appointment", "{\"appointment_id\": \"" + UUID.randomUUID() + "\"}"), "not_found");
    }

    @Test
    void bookingRegistersANewCallerOnlyWithAName() {
        var thursday = Calls.weekday(4, DayOfWeek.THURSDAY);
        String phone = "+1617555" + (1000 + (int) (Math.random() * 8999));
        var unknown = error(calls.call(DEMO, "book_appointment", "{\"phone\": \"" + phone
                + "\", \"service_type\": \"oil_change\", \"start\": \"" + thursday + "T08:00\"}"), "not_found");
        assertThat(unknown.error().message()).contains("pass 'name'");
        var booked = ok(calls.call(DEMO, "book_appointment", "{\"phone\": \"" + phone + "\", \"name\": \"New Caller\", "
                + "\"service_type\": \"oil_change\", \"start\": \"" + thursday + "T08:00\"}"));
        assertThat(booked.path("customerName").asText()).isEqualTo("New Caller");
        assertThat(ok(calls.call(DEMO, "lookup_customer", "{\"phone\": \"" + phone + "\"}")).path("found").asBoolean()).isTrue();
    }

    @Test
    void theSeededDemoHasUpcomingAppointments() {
        var maria = ok(calls.call(DEMO, "get_upcoming_appointments", "{\"phone\": \"+16175550101\"}"));
        assertThat(maria.path("appointments")).isNotEmpty();
        assertThat(maria.path("appointments").get(0).path("serviceType").asText()).isEqualTo("oil_change");
        assertThat(QuarkusTransaction.requiringNew().call(() -> appointments.count("tenantId", DEMO))).isGreaterThanOrEqualTo(2);
    }
}
