package io.voicecoach.devstack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class HeadlessBrowserTest {

    @Test
    void runsAPlaywrightScriptInHeadlessChromium(@TempDir Path dir) throws Exception {
        var missing = HeadlessBrowser.missingTools();
        assumeTrue(missing.isEmpty(), missing.orElse(""));
        var script = dir.resolve("count.js");
        Files.writeString(script, """
                const { chromium } = require('playwright-core');
                (async () => {
                  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH, args: ['--no-sandbox'] });
                  const page = await browser.newPage();
                  await page.setContent('<ul><li>a</li><li>b</li><li>c</li></ul>');
                  const items = await page.locator('li').count();
                  await browser.close();
                  if (items !== Number(process.env.EXPECTED)) { console.error('saw ' + items); process.exit(3); }
                  console.log('items=' + items);
                })().catch(e => { console.error(e); process.exit(2); });
                """);

        var passing = HeadlessBrowser.run(script, Map.of("EXPECTED", "3"), Duration.ofMinutes(3));
        var failing = HeadlessBrowser.run(script, Map.of("EXPECTED", "4"), Duration.ofMinutes(1));

        assertThat(passing.passed()).as(passing.output()).isTrue();
        assertThat(passing.output()).contains("items=3");
        assertThat(failing.exitCode()).as(failing.output()).isEqualTo(3);
    }
}
