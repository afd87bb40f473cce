package io.voicecoach.coaching.kb;

import com.sun.management.ThreadMXBean;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Extraction is bounded in bytes: a PDF of under a megabyte (a few kilobytes when compressed twice) whose content decodes to 256 MB is refused after
 * decoding about the budget into a counter, allocating a small fraction of what it expands to (measured on this
 * thread), where PDFBox alone would hold the decoded stream and its text in memory.
 */
class TextExtractorTest {

    private static final long MB = 1 << 20;
    private static final TextExtractor.Limits LIMITS = new TextExtractor.Limits(1_000_000, 8 * MB, 50);

    @Test
    void aCompressionBombIsRefusedWithoutHoldingWhatItExpandsTo() throws IOException {
        byte[] bomb = PdfBombs.textBomb(256 * MB, 1);
        assertThat(bomb.length).as("small on the wire").isLessThan((int) MB);

        long allocated = allocatedBy(() -> assertThatThrownBy(() -> TextExtractor.extract(TextExtractor.PDF, bomb, LIMITS))
                .isInstanceOf(TextExtractor.TooLargeException.class)
                .hasMessageContaining("more than " + 8 * MB + " bytes"));
        System.out.printf("compression bomb (%d bytes, 256 MB decoded): refused after allocating %d MB%n", bomb.length,
                allocated / MB);
        assertThat(allocated).as("bytes allocated while refusing a 256 MB expansion").isLessThan(32 * MB);
    }

    /** What the extraction did before: PDFBox decodes a content stream whole, so the bomb costs what it expands to. */
    @Test
    void pdfBoxAloneHoldsTheWholeExpansionInMemory() throws IOException {
        byte[] bomb = PdfBombs.textBomb(256 * MB, 1);
        long allocated = allocatedBy(() -> {
            try (var document = org.apache.pdfbox.Loader.loadPDF(bomb); var content = document.getPage(0).getContents()) {
                byte[] buffer = new byte[8192];
                while (content.read(buffer) > 0) {
                    // drained through a small buffer: what is allocated is PDFBox's own
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        System.out.printf("compression bomb read by PDFBox alone: %d MB allocated%n", allocated / MB);
        assertThat(allocated).isGreaterThan(256 * MB);
    }

    @Test
    void aStreamCompressedTwiceIsCountedThroughBothLayers() throws IOException {
        byte[] bomb = PdfBombs.textBomb(256 * MB, 2);
        assertThat(bomb.length).isLessThan(64 * 1024);

        long allocated = allocatedBy(() -> assertThatThrownBy(() -> TextExtractor.extract(TextExtractor.PDF, bomb, LIMITS))
                .isInstanceOf(TextExtractor.TooLargeException.class));
        assertThat(allocated).isLessThan(32 * MB);
    }

    @Test
    void textBeyondTheCharacterLimitIsRefusedAndAnOrdinaryPdfIsRead() throws IOException {
        var small = new TextExtractor.Limits(2_000, 8 * MB, 50);
        byte[] fine = PdfBombs.textBomb(1_000, 1);
        assertThat(TextExtractor.extract(TextExtractor.PDF, fine, LIMITS)).contains("the price is too high");

        byte[] wordy = PdfBombs.textBomb(200_000, 1); // within the decoded bytes, ~2,700 lines of text
        assertThatThrownBy(() -> TextExtractor.extract(TextExtractor.PDF, wordy, small))
                .isInstanceOf(TextExtractor.TooLargeException.class)
                .hasMessageContaining("longer than the 2000 characters");
        assertThatThrownBy(() -> TextExtractor.extract(TextExtractor.TEXT,
                "a".repeat(2_001).getBytes(StandardCharsets.UTF_8), small))
                .isInstanceOf(TextExtractor.TooLargeException.class);
        assertThat(TextExtractor.extract(TextExtractor.MARKDOWN, "# ok".getBytes(StandardCharsets.UTF_8), small))
                .isEqualTo("# ok");
    }

    @Test
    void rawFlateRunsAreCountedEvenWhereNoDictionarySaysSo() {
        var budget = new TextExtractor.Budget(Long.MAX_VALUE);
        byte[] pdf = ("%PDF-1.4\nstream\nnot flate at all\nendstream\n").getBytes(StandardCharsets.US_ASCII);
        TextExtractor.inflateRawStreams(pdf, budget);
        assertThat(budget.used()).isZero();
    }

    private static long allocatedBy(Runnable work) {
        var threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        long before = threads.getThreadAllocatedBytes(id);
        work.run();
        return threads.getThreadAllocatedBytes(id) - before;
    }
}
