package io.voicecoach.coaching.kb;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.platform.security.ServiceCredentials;
import io.voicecoach.platform.testing.GatewayCredentialStub;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.Suggestion;
import io.voicecoach.events.Topics;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/** Upload, chunking, search, deletion and tenant isolation of the knowledge base; citations in suggestions. */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "coaching"))
@QuarkusTestResource(GatewayCredentialStub.class)
class KnowledgeBaseTest {

    private static final String ALPHA_KEY = GatewayCredentialStub.keyOf("alpha");
    private static final String BETA_KEY = GatewayCredentialStub.keyOf("beta");
    private static final String DELTA_KEY = GatewayCredentialStub.keyOf("delta");
    private static final String GAMMA_KEY = GatewayCredentialStub.keyOf("gamma");
    private static final String ETA_KEY = GatewayCredentialStub.keyOf("eta");
    private static final String ZETA_KEY = GatewayCredentialStub.keyOf("zeta");

    private static final String PROBLEM = "application/problem+json";

    private static final String HANDBOOK = """
            # Security
            
            All customer data is encrypted at rest with AES-256 and in transit with TLS 1.3. We are SOC 2 Type II
            certified and run a yearly penetration test.
            
            # Onboarding
            
            A typical team is live within five working days. A named onboarding manager runs three training sessions.
            
            # Refunds
            
            Unused months of an annual plan are refunded pro rata within the first ninety days.
            """;

    @Test
    void aMarkdownDocumentIsChunkedByHeadingAndFoundByMeaning() {
        String id = upload(ALPHA_KEY, "text/markdown", "Handbook", HANDBOOK.getBytes())
                .body("title", equalTo("Handbook")).body("mediaType", equalTo("text/markdown"))
                .body("chunks", equalTo(3)).extract().path("id");

        given().auth().oauth2(ALPHA_KEY).queryParam("q", "is my data protected with encryption?")
                .get("/api/v1/kb/search").then().statusCode(200)
                .body("[0].documentId", equalTo(id)).body("[0].documentTitle", equalTo("Handbook"))
                .body("[0].chunkIndex", equalTo(0)).body("[0].excerpt", containsString("AES-256"));
        given().auth().oauth2(ALPHA_KEY).queryParam("q", "how long until my team can start using it")
                .queryParam("k", 1).get("/api/v1/kb/search").then().statusCode(200)
                .body("size()", equalTo(1)).body("[0].excerpt", containsString("five working days"));
        given().auth().oauth2(ALPHA_KEY).get("/api/v1/kb/documents").then().statusCode(200)
                .body("id", hasItem(id));
    }

    @Test
    void toolServiceSearchesOneTenantsKnowledgeOverTheInternalEndpointWithTheServiceCredential() {
        String id = upload(BETA_KEY, "text/plain", "Loaner cars",
                "Customers whose repair takes longer than one day get a free loaner car for the whole stay.".getBytes())
                .extract().path("id");

        asToolService().queryParam("q", "can I get a courtesy car while mine is in the shop?").queryParam("k", 1)
                .get("/internal/v1/tenants/beta/kb/search").then().statusCode(200)
                .body("results.size()", equalTo(1)).body("results[0].documentId", equalTo(id))
                .body("results[0].documentTitle", equalTo("Loaner cars"));
        asToolService().queryParam("q", "can I get a courtesy car while mine is in the shop?")
                .get("/internal/v1/tenants/alpha/kb/search").then().statusCode(200)
                .body("results.documentId", not(hasItem(id)));
        asToolService().queryParam("q", " ").get("/internal/v1/tenants/beta/kb/search").then().statusCode(400)
                .contentType(PROBLEM);
    }

    @Test
    void aTenantCanNeitherSearchNorSeeNorDeleteAnotherTenantsDocuments() {
        String id = upload(ALPHA_KEY, "text/plain", "Alpha secrets",
                "Alpha's discount code for partners is ZEBRA-42.".getBytes()).extract().path("id");

        given().auth().oauth2(BETA_KEY).queryParam("q", "discount code for partners")
                .get("/api/v1/kb/search").then().statusCode(200).body("excerpt", not(hasItem(containsString("ZEBRA"))));
        given().auth().oauth2(BETA_KEY).get("/api/v1/kb/documents").then().statusCode(200)
                .body("id", not(hasItem(id)));
        given().auth().oauth2(BETA_KEY).get("/api/v1/kb/documents/" + id).then().statusCode(404)
                .contentType(PROBLEM);
        given().auth().oauth2(BETA_KEY).delete("/api/v1/kb/documents/" + id).then().statusCode(404);

        given().auth().oauth2(ALPHA_KEY).get("/api/v1/kb/documents/" + id).then().statusCode(200)
                .body("title", equalTo("Alpha secrets"));
        given().auth().oauth2(ALPHA_KEY).queryParam("q", "discount code for partners")
                .get("/api/v1/kb/search").then().body("[0].excerpt", containsString("ZEBRA-42"));

        given().auth().oauth2(ALPHA_KEY).delete("/api/v1/kb/documents/" + id).then().statusCode(204);
        given().auth().oauth2(ALPHA_KEY).get("/api/v1/kb/documents/" + id).then().statusCode(404);
        given().auth().oauth2(ALPHA_KEY).queryParam("q", "discount code for partners")
                .get("/api/v1/kb/search").then().body("excerpt", not(hasItem(containsString("ZEBRA"))));
        given().queryParam("q", "x").get("/api/v1/kb/search").then().statusCode(401);
    }

    @Test
    void aPdfIsReadWithPdfBox() throws IOException {
        upload(BETA_KEY, "application/pdf", "Warranty", pdf("The warranty covers parts and labour for "
                + "seven years or one hundred thousand miles.")).body("chunks", equalTo(1));
        given().auth().oauth2(BETA_KEY).queryParam("q", "how many years does the warranty last")
                .get("/api/v1/kb/search").then().statusCode(200)
                .body("[0].documentTitle", equalTo("Warranty")).body("[0].excerpt", containsString("seven years"));
    }

    @Test
    void badDocumentsAreRefusedWithAProblem() {
        byte[] big = new byte[100_001];
        java.util.Arrays.fill(big, (byte) 'a');
        given().auth().oauth2(GAMMA_KEY).contentType("text/plain").body(big)
                .post("/api/v1/kb/documents").then().statusCode(413).contentType(PROBLEM)
                .body("detail", containsString("100001 bytes"));
        given().auth().oauth2(GAMMA_KEY).contentType("image/png").body(new byte[]{1, 2, 3})
                .post("/api/v1/kb/documents").then().statusCode(415).contentType(PROBLEM);
        given().auth().oauth2(GAMMA_KEY).contentType("application/pdf").body("not a pdf".getBytes())
                .post("/api/v1/kb/documents").then().statusCode(400).contentType(PROBLEM)
                .body("detail", containsString("PDF"));
        given().auth().oauth2(GAMMA_KEY).contentType("text/plain").body(new byte[]{(byte) 0xC3, (byte) 0x28})
                .post("/api/v1/kb/documents").then().statusCode(400).contentType(PROBLEM);
        given().auth().oauth2(GAMMA_KEY).get("/api/v1/kb/search").then().statusCode(400).contentType(PROBLEM);
        given().auth().oauth2(GAMMA_KEY).get("/api/v1/kb/documents").then().body("$", empty());
    }

    @Test
    void aCompressionBombIsRefusedWithTheBodyNamed() throws IOException {
        byte[] bomb = PdfBombs.textBomb(256L << 20, 2); // 256 MB of content in a few kilobytes
        assertThat(bomb.length).isLessThan(100_000);
        given().auth().oauth2(ETA_KEY).contentType("application/pdf").queryParam("title", "bomb").body(bomb)
                .post("/api/v1/kb/documents").then().statusCode(413).contentType(PROBLEM)
                .body("code", equalTo("document_too_large"))
                .body("errors[0].path", equalTo("body"))
                .body("detail", containsString("when its compressed streams are decoded"));
        given().auth().oauth2(ETA_KEY).contentType("text/plain").queryParam("title", "t".repeat(201))
                .body("fine".getBytes()).post("/api/v1/kb/documents").then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].path", equalTo("title"));
        given().auth().oauth2(ETA_KEY).get("/api/v1/kb/documents").then().body("$", empty());
    }

    @Test
    void aTenantsDocumentsStopAtItsQuotaAndOtherTenantsAreNotAffected() {
        for (int i = 0; i < 4; i++) { // %test.voicecoach.coaching.kb.max-tenant-documents=4
            upload(ZETA_KEY, "text/plain", "note " + i, ("Note number " + i + " about loaner cars.").getBytes());
        }
        given().auth().oauth2(ZETA_KEY).contentType("text/plain").queryParam("title", "one too many")
                .body("Note five.".getBytes()).post("/api/v1/kb/documents").then().statusCode(409)
                .contentType(PROBLEM).body("code", equalTo("kb_quota_exceeded"))
                .body("errors[0].path", equalTo("body")).body("detail", containsString("quota of 4 documents"));
        given().auth().oauth2(ZETA_KEY).get("/api/v1/kb/documents").then().body("size()", equalTo(4));
        upload(ETA_KEY, "text/plain", "eta's own", "Eta has room of its own.".getBytes());
    }

    @Test
    void anObjectionSuggestionCitesTheTenantsMostRelevantChunk() {
        String id = upload(DELTA_KEY, "text/markdown", "Objection handbook", """
                # Answering price concerns
                
                When a customer says the price is too high, offer the annual plan: it costs 30 percent less than
                monthly billing, and the first month is free.
                
                # Office plants
                
                Water the ficus on Mondays.
                """.getBytes()).extract().path("id");
        String session = "sess_" + UUID.randomUUID();
        try (var kafka = KafkaTestClient.forSharedBroker(); var suggestions = kafka.read(Topics.SUGGESTIONS)) {
            kafka.send(Topics.TRANSCRIPTS, Envelope.of(EventTypes.TRANSCRIPT_FINAL, "delta", session, 1, "gateway-service",
                    new Transcript("utt_" + UUID.randomUUID(), Track.CUSTOMER,
                            "Honestly the price is too high for us this quarter.", true, 0, 3_000, 1.0, "text",
                            Instant.now())));
            var suggestion = suggestions.awaitOne(r -> session.equals(r.key()) && r.envelope() != null
                            && EventTypes.SUGGESTION.equals(r.envelope().type()), Duration.ofSeconds(20))
                    .envelope().payloadAs(Suggestion.class);
            assertThat(suggestion.category()).isEqualTo("price");
            assertThat(suggestion.citations()).isNotEmpty();
            var top = suggestion.citations().getFirst();
            assertThat(top.documentId()).isEqualTo(id);
            assertThat(top.documentTitle()).isEqualTo("Objection handbook");
            assertThat(top.chunkIndex()).isZero();
            assertThat(top.excerpt()).contains("annual plan");
            assertThat(top.score()).isGreaterThanOrEqualTo(0.45);
            assertThat(suggestion.citations()).noneMatch(c -> c.excerpt().contains("ficus"));
        }
    }

    private static io.restassured.response.ValidatableResponse upload(String key, String type, String title, byte[] body) {
        return given().auth().oauth2(key).contentType(type).queryParam("title", title).body(body)
                .post("/api/v1/kb/documents").then().statusCode(201)
                .header("Location", containsString("/api/v1/kb/documents/"))
                .body("chunks", greaterThanOrEqualTo(1));
    }

    private static byte[] pdf(String text) throws IOException {
        try (var document = new PDDocument(); var out = new ByteArrayOutputStream()) {
            var page = new PDPage();
            document.addPage(page);
            try (var content = new PDPageContentStream(document, page)) {
                content.beginText();
                content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                content.newLineAtOffset(50, 700);
                content.showText(text);
                content.endText();
            }
            document.save(out);
            return out.toByteArray();
        }
    }

    /** tool-service's call: the service credential, no tenant key. */
    private static io.restassured.specification.RequestSpecification asToolService() {
        return given().header(ServiceCredentials.HEADER, GatewayCredentialStub.SERVICE_TOKEN);
    }
}
