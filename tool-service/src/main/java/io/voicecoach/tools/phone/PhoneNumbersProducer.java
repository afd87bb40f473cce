package io.voicecoach.tools.phone;

import io.voicecoach.tools.ToolsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

public class PhoneNumbersProducer {

    @Produces
    @ApplicationScoped
    PhoneNumbers phoneNumbers(ToolsConfig config) {
        return new PhoneNumbers(config.defaultPhoneRegion());
    }
}
