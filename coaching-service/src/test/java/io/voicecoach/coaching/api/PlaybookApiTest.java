package io.voicecoach.coaching.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.platform.testing.GatewayCredentialStub;
import io.voicecoach.coaching.detect.Detection;
import io.voicecoach.coaching.detect.Detector;
import io.voicecoach.coaching.playbook.PlaybookLoader;
import io.voicecoach.coaching.playbook.PlaybookSource;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** The tenant-scoped, versioned playbook API, its errors, and that detection follows the tenant's active version. */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "coaching"))
@QuarkusTestResource(GatewayCredentialStub.class)
class PlaybookApiTest {

    private static final String ALPHA_KEY = GatewayCredentialStub.keyOf("alpha");
    private static final String BETA_KEY = GatewayCredentialStub.keyOf("beta");
    private static final String GAMMA_KEY = GatewayCredentialStub.keyOf("gamma");

    private static final String PROBLEM = "application/problem+json";
    private static final String ZORBLAX = "Honestly the zorblax levy puts us off.";

    @Inject
    PlaybookSource defaults;

    @Inject
    Detector detector;

    @Test
    void refusesRequestsWithoutAValidKey() {
        given().get("/api/v1/playbook").then().statusCode(401).contentType(PROBLEM)
                .header("WWW-Authenticate", "Bearer").body("detail", containsString("missing API key"));
        given().auth().oauth2("key-nobody").get("/api/v1/playbook").then().statusCode(401).contentType(PROBLEM)
                .body("detail", equalTo("invalid API key"));
        given().auth().oauth2("key-nobody").contentType("application/json").body(defaultJson())
                .put("/api/v1/playbook").then().statusCode(401);
        given().auth().oauth2(GatewayCredentialStub.BROKEN_KEY).get("/api/v1/playbook").then().statusCode(503)
                .contentType(PROBLEM);
    }

    @Test
    void aTenantWithoutAPlaybookGetsTheBundledDefault() {
        given().auth().oauth2(GAMMA_KEY).get("/api/v1/playbook").then().statusCode(200)
                .body("version", equalTo(0)).body("source", equalTo("default")).body("active", equalTo(true))
                .body("playbook.name", equalTo(defaults.playbook().name()))
                .body("playbook.objections.category", hasItem("status_quo"))
                .body("playbook.methodologies.name", hasItem("SPIN"))
                .body("playbook.compliance.mustNotSay.size()", org.hamcrest.Matchers.greaterThan(0));
        given().auth().oauth2(GAMMA_KEY).get("/api/v1/playbook/versions").then().statusCode(200)
                .body("version", org.hamcrest.Matchers.contains(0));
    }

    @Test
    void putStoresNewVersionsThatCanBeActivatedAndRolledBackAndDetectionFollows() {
        assertThat(zorblaxFound("alpha")).as("the default knows no zorblax").isFalse();

        int first = given().auth().oauth2(ALPHA_KEY).contentType("application/json")
                .body(withPricePhrase("zorblax levy", "alpha v1")).put("/api/v1/playbook").then().statusCode(201)
                .header("Location", endsWith("/api/v1/playbook/versions/1"))
                .body("version", equalTo(1)).body("active", equalTo(true)).body("source", equalTo("tenant"))
                .extract().path("version");
        assertThat(first).isEqualTo(1);
        var found = detector.detect("alpha", customer(ZORBLAX)).orElseThrow();
        assertThat(found.category()).isEqualTo("price");
        assertThat(found.source()).isEqualTo(Detection.RULES);
        assertThat(found.matched()).isEqualTo("zorblax levy");

        given().auth().oauth2(ALPHA_KEY).contentType("application/json")
                .body(defaultJsonNamed("alpha v2")).put("/api/v1/playbook").then().statusCode(201)
                .body("version", equalTo(2)).body("playbook.name", equalTo("alpha v2"));
        assertThat(zorblaxFound("alpha")).isFalse();

        given().auth().oauth2(ALPHA_KEY).get("/api/v1/playbook/versions").then().statusCode(200)
                .body("version", org.hamcrest.Matchers.contains(2, 1, 0))
                .body("active", org.hamcrest.Matchers.contains(true, false, false))
                .body("name", org.hamcrest.Matchers.contains("alpha v2", "alpha v1", defaults.playbook().name()));
        given().auth().oauth2(ALPHA_KEY).get("/api/v1/playbook/versions/1").then().statusCode(200)
                .body("playbook.name", equalTo("alpha v1")).body("active", equalTo(false));

        given().auth().oauth2(ALPHA_KEY).post("/api/v1/playbook/rollback").then().statusCode(200)
                .body("version", equalTo(1)).body("active", equalTo(true));
        given().auth().oauth2(ALPHA_KEY).get("/api/v1/playbook").then().body("version", equalTo(1));
        assertThat(detector.detect("alpha", customer(ZORBLAX))).hasValueSatisfying(
                d -> assertThat(d.matched()).isEqualTo("zorblax levy"));

        given().auth().oauth2(ALPHA_KEY).post("/api/v1/playbook/versions/0/activate").then()
                .statusCode(200).body("version", equalTo(0)).body("source", equalTo("default"));
        assertThat(zorblaxFound("alpha")).isFalse();

        given().auth().oauth2(ALPHA_KEY).post("/api/v1/playbook/versions/2/activate").then()
                .statusCode(200).body("version", equalTo(2));
        given().auth().oauth2(ALPHA_KEY).post("/api/v1/playbook/versions/9/activate").then()
                .statusCode(404).contentType(PROBLEM);
        given().auth().oauth2(ALPHA_KEY).get("/api/v1/playbook").then().body("version", equalTo(2));
    }

    @Test
    void aTenantCanNeitherReadNorChangeAnotherTenantsPlaybook() {
        given().auth().oauth2(BETA_KEY).contentType("application/json")
                .body(withPricePhrase("zorblax levy", "beta only")).put("/api/v1/playbook").then().statusCode(201);
        int betaVersion = given().auth().oauth2(BETA_KEY).get("/api/v1/playbook").then()
                .body("playbook.name", equalTo("beta only")).extract().path("version");

        given().auth().oauth2(GAMMA_KEY).get("/api/v1/playbook").then()
                .body("version", equalTo(0)).body("playbook.name", equalTo(defaults.playbook().name()));
        given().auth().oauth2(GAMMA_KEY).get("/api/v1/playbook/versions/" + betaVersion).then()
                .statusCode(404).contentType(PROBLEM);
        given().auth().oauth2(GAMMA_KEY).post("/api/v1/playbook/versions/" + betaVersion + "/activate")
                .then().statusCode(404);
        given().auth().oauth2(GAMMA_KEY).post("/api/v1/playbook/rollback").then().statusCode(200)
                .body("version", equalTo(0));
        given().auth().oauth2(BETA_KEY).get("/api/v1/playbook").then()
                .body("version", equalTo(betaVersion)).body("playbook.name", equalTo("beta only"));
        assertThat(zorblaxFound("gamma")).isFalse();
        assertThat(detector.detect("beta", customer(ZORBLAX))).hasValueSatisfying(
                d -> assertThat(d.matched()).isEqualTo("zorblax levy"));
    }

    @Test
    void aMalformedPlaybookIsRefusedWithTheJsonPathOfEachError() {
        var broken = (ObjectNode) EventJson.MAPPER.valueToTree(defaults.playbook());
        ((ObjectNode) broken.get("objections").get(2).get("answer")).remove("title");
        broken.put("minConfidence", 1.5);
        ((ArrayNode) broken.get("buyingSignals").get("patterns")).add("(unclosed");
        given().auth().oauth2(GAMMA_KEY).contentType("application/json").body(broken.toString())
                .put("/api/v1/playbook").then().statusCode(400).contentType(PROBLEM)
                .body("status", equalTo(400))
                .body("errors.path", hasItem("$.objections[2].answer.title"))
                .body("errors.path", hasItem("$.minConfidence"))
                .body("errors.find { it.path == '$.minConfidence' }.message", containsString("1.5"))
                .body("errors.path", hasItem(org.hamcrest.Matchers.startsWith("$.buyingSignals.patterns[")));

        var typo = (ObjectNode) EventJson.MAPPER.valueToTree(defaults.playbook());
        ((ObjectNode) typo.get("objections").get(1)).put("phrasez", "x");
        given().auth().oauth2(GAMMA_KEY).contentType("application/json").body(typo.toString())
                .put("/api/v1/playbook").then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].path", equalTo("$.objections[1].phrasez"));

        given().auth().oauth2(GAMMA_KEY).contentType("application/json").body("{\"name\": \"x\", ")
                .put("/api/v1/playbook").then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].path", equalTo("$"));
        given().auth().oauth2(GAMMA_KEY).get("/api/v1/playbook").then().body("version", equalTo(0));
    }

    private boolean zorblaxFound(String tenant) {
        return detector.detect(tenant, customer(ZORBLAX)).filter(d -> d.matched().contains("zorblax")).isPresent();
    }

    private String defaultJson() {
        return PlaybookLoader.toJson(defaults.playbook());
    }

    private String defaultJsonNamed(String name) {
        var tree = (ObjectNode) EventJson.MAPPER.valueToTree(defaults.playbook());
        tree.put("name", name);
        return tree.toString();
    }

    private String withPricePhrase(String phrase, String name) {
        var tree = (ObjectNode) EventJson.MAPPER.valueToTree(defaults.playbook());
        tree.put("name", name);
        ((ArrayNode) tree.get("objections").get(0).get("phrases")).add(phrase);
        assertThat(tree.get("objections").get(0).get("category").asText()).isEqualTo("price");
        return tree.toString();
    }

    private static Transcript customer(String text) {
        return new Transcript("utt_" + UUID.randomUUID(), Track.CUSTOMER, text, true, 0, 1000, 0.9, "test", Instant.now());
    }
}
