package io.voicecoach.analytics.api;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "voicecoach.export")
public interface ExportConfig {

    /** Most sessions one CSV export may hold; beyond it the export is refused (400) and should be narrowed. */
    @WithDefault("100000")
    int maxRows();
}
