package io.voicecoach.tools.customer;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.voicecoach.tools.phone.PhoneNumbers;
import io.voicecoach.tools.registry.ToolErrors;
import io.voicecoach.tools.registry.ToolException;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;
import java.util.UUID;

/** Customer queries; each one takes the tenant. */
@ApplicationScoped
public class Customers implements PanacheRepositoryBase<CustomerEntity, UUID> {

    private final PhoneNumbers phones;

    public Customers(PhoneNumbers phones) {
        this.phones = phones;
    }

    public Optional<CustomerEntity> byPhone(String tenantId, String e164) {
        return find("tenantId = ?1 and phone = ?2", tenantId, e164).firstResultOptional();
    }

    public Optional<CustomerEntity> byId(String tenantId, UUID id) {
        return find("tenantId = ?1 and id = ?2", tenantId, id).firstResultOptional();
    }

    public long countForTenant(String tenantId) {
        return count("tenantId", tenantId);
    }

    /** @throws ToolException invalid_arguments when the number cannot be normalised */
    public String normalise(String phone) {
        return phones.toE164(phone).orElseThrow(() -> new ToolException(ToolErrors.INVALID_ARGUMENTS,
                "argument 'phone' is not a phone number; give it with its country code, e.g. +15551234567"));
    }
}
