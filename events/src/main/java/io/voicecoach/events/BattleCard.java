package io.voicecoach.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/** A tenant's prepared answer for an objection or competitor, served by tool-service's {@code get_battle_card}. */
@RegisterForReflection
public record BattleCard(String id, String category, String competitor, String title, String body,
                         List<String> talkingPoints) {
}
