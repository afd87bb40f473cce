package io.voicecoach.tools.customer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.voicecoach.events.EventJson;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.util.UUID;

@Entity
@Table(name = "customers")
public class CustomerEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue
    public UUID id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    /** E.164. */
    @Column(nullable = false)
    public String phone;

    @Column(nullable = false)
    public String name;

    public String email;

    /** {@code [{"vin", "year", "make", "model"}]}. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public JsonNode vehicles = EventJson.MAPPER.createArrayNode();

    public static CustomerEntity of(String tenantId, String phone, String name, String email) {
        var customer = new CustomerEntity();
        customer.tenantId = tenantId;
        customer.phone = phone;
        customer.name = name;
        customer.email = email;
        return customer;
    }

    public ObjectNode toJson() {
        var json = EventJson.MAPPER.createObjectNode();
        json.put("customerId", id.toString());
        json.put("name", name);
        json.put("phone", phone);
        json.put("email", email);
        json.set("vehicles", vehicles.deepCopy());
        return json;
    }
}
