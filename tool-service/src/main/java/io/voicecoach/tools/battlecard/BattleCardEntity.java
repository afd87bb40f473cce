package io.voicecoach.tools.battlecard;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.voicecoach.events.BattleCard;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

@Entity
@Table(name = "battle_cards")
public class BattleCardEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue
    public UUID id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    @Column(nullable = false)
    public String category;

    /** Lower case; null for the category's generic card. */
    public String competitor;

    @Column(nullable = false)
    public String title;

    @Column(nullable = false)
    public String body;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "talking_points", nullable = false)
    public List<String> talkingPoints = new ArrayList<>();

    public static BattleCardEntity of(String tenantId, BattleCard card) {
        var entity = new BattleCardEntity();
        entity.tenantId = tenantId;
        entity.category = card.category();
        entity.competitor = card.competitor() == null ? null : card.competitor().toLowerCase();
        entity.title = card.title();
        entity.body = card.body();
        entity.talkingPoints = card.talkingPoints() == null ? new ArrayList<>() : new ArrayList<>(card.talkingPoints());
        return entity;
    }

    public BattleCard toCard() {
        return new BattleCard(id.toString(), category, competitor, title, body, List.copyOf(talkingPoints));
    }
}
