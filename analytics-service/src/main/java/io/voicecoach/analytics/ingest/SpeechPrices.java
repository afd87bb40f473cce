package io.voicecoach.analytics.ingest;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.util.Map;

/**
 * What the voice agent's speech costs, per text-to-speech engine and tenant, in USD per 1,000 characters spoken:
 * {@code voicecoach.tts.price-per-1k-chars."<engine>"}, overridden per tenant by
 * {@code voicecoach.tts.tenants."<tenant>".price-per-1k-chars."<engine>"}; an engine named nowhere costs
 * {@code default-price-per-1k-chars}. Applied when ingestion reads an item's {@code agent.speech.audio_done}.
 */
@ConfigMapping(prefix = "voicecoach.tts")
public interface SpeechPrices {

    /** USD per 1,000 characters, per engine ({@code espeak-ng}, {@code openai-compatible}, ...). */
    @WithName("price-per-1k-chars")
    Map<String, Double> pricePer1kChars();

    /** USD per 1,000 characters of an engine without a price. */
    @WithName("default-price-per-1k-chars")
    @WithDefault("0")
    double defaultPricePer1kChars();

    /** Per tenant id, its own engine prices. */
    Map<String, Tenant> tenants();

    interface Tenant {
        @WithName("price-per-1k-chars")
        Map<String, Double> pricePer1kChars();
    }

    /** The cost of {@code characters} spoken by {@code engine} for {@code tenantId}. */
    default double cost(String tenantId, String engine, long characters) {
        var tenant = tenants().get(tenantId);
        Double price = tenant == null ? null : tenant.pricePer1kChars().get(engine);
        if (price == null) {
            price = pricePer1kChars().getOrDefault(engine, defaultPricePer1kChars());
        }
        return characters * price / 1000.0;
    }
}
