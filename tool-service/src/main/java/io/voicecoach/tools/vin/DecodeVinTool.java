package io.voicecoach.tools.vin;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicecoach.events.EventJson;
import io.voicecoach.tools.registry.Tool;
import io.voicecoach.tools.registry.ToolDefinition;
import io.voicecoach.tools.registry.ToolErrors;
import io.voicecoach.tools.registry.ToolException;
import io.voicecoach.tools.registry.ToolInvocation;
import jakarta.enterprise.context.ApplicationScoped;

/** {@code decode_vin {"vin"}}: see {@link VinDecoder}; a wrong mandatory check digit is {@code invalid_vin}. */
@ApplicationScoped
public class DecodeVinTool implements Tool {

    private static final ToolDefinition DEFINITION = ToolDefinition.load("decode_vin");

    @Override
    public ToolDefinition definition() {
        return DEFINITION;
    }

    @Override
    public JsonNode run(ToolInvocation invocation) {
        VinDecoder.Decoded vin;
        try {
            vin = VinDecoder.decode(invocation.requiredString("vin"));
        } catch (IllegalArgumentException e) {
            throw new ToolException(ToolErrors.INVALID_VIN, e.getMessage());
        }
        if (vin.checkDigitRequired() && !vin.checkDigitValid()) {
            throw new ToolException(ToolErrors.INVALID_VIN, "check digit (position 9) is " + vin.checkDigit()
                    + " but the other characters need " + vin.expectedCheckDigit()
                    + "; a character was probably misheard: ask the caller to repeat the VIN");
        }
        var result = EventJson.MAPPER.createObjectNode();
        result.put("vin", vin.vin());
        result.put("wmi", vin.wmi());
        result.put("manufacturer", vin.manufacturer());
        result.put("region", vin.region());
        if (vin.modelYear() == null) {
            result.putNull("modelYear");
        } else {
            result.put("modelYear", vin.modelYear());
        }
        result.put("checkDigitValid", vin.checkDigitValid());
        result.put("checkDigitRequired", vin.checkDigitRequired());
        result.put("plantCode", vin.plantCode());
        result.put("serialNumber", vin.serialNumber());
        return result;
    }
}
