package io.voicecoach.coaching.kb;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * The text of an uploaded document: UTF-8 text or Markdown as is, PDF through PDFBox, each bounded. A PDF is small
 * on the wire but its compressed streams may expand a thousandfold, and PDFBox decodes a stream whole into memory, so
 * before PDFBox reads anything every stream is decoded once into a counter, against {@code maxDecodedBytes} for the
 * whole document (first every Flate-compressed run of the raw bytes, which also covers the cross-reference and object
 * streams PDFBox decodes while loading, then every stream through its own filter chain); the text itself stops at
 * {@code maxChars}. A document beyond a bound is refused ({@link TooLargeException}) after at most a bound's work.
 */
public final class TextExtractor {

    public static final String TEXT = "text/plain";
    public static final String MARKDOWN = "text/markdown";
    public static final String PDF = "application/pdf";
    public static final Set<String> SUPPORTED = Set.of(TEXT, MARKDOWN, PDF);

    /** Nested Flate layers inflated by the raw pre-scan (a stream compressed twice expands twice). */
    private static final int MAX_NESTING = 3;

    /**
     * @param maxChars        characters of text one document may yield
     * @param maxDecodedBytes bytes all of a PDF's streams may decode to, together
     * @param maxPages        pages of a PDF
     */
    public record Limits(int maxChars, long maxDecodedBytes, int maxPages) {
    }

    /** The document cannot be read as its media type says. */
    public static class UnreadableDocumentException extends RuntimeException {
        UnreadableDocumentException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The document expands beyond a limit (text, decoded streams, pages). */
    public static class TooLargeException extends RuntimeException {
        TooLargeException(String message) {
            super(message);
        }
    }

    /** {@code text/plain; charset=utf-8} -> {@code text/plain}. */
    public static String baseType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    public static String extract(String mediaType, byte[] body, Limits limits) {
        return switch (mediaType) {
            case TEXT, MARKDOWN -> utf8(body, limits);
            case PDF -> pdf(body, limits);
            default -> throw new IllegalArgumentException("unsupported media type " + mediaType);
        };
    }

    private static String utf8(byte[] body, Limits limits) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new UnreadableDocumentException("the document is not valid UTF-8 text", e);
        }
        if (text.length() > limits.maxChars()) {
            throw tooMuchText(limits);
        }
        return text;
    }

    private static String pdf(byte[] body, Limits limits) {
        var budget = new Budget(limits.maxDecodedBytes());
        inflateRawStreams(body, budget);
        try (var document = Loader.loadPDF(body)) {
            if (document.getNumberOfPages() > limits.maxPages()) {
                throw new TooLargeException("the document has " + document.getNumberOfPages() + " pages, more than the "
                        + limits.maxPages() + " allowed");
            }
            decodeEveryStream(document, new Budget(limits.maxDecodedBytes()));
            var text = new BoundedWriter(limits);
            new PDFTextStripper().writeText(document, text);
            return text.toString();
        } catch (IOException e) {
            throw new UnreadableDocumentException("the document is not a readable PDF: " + e.getMessage(), e);
        }
    }

    /** Every {@code stream ... endstream} run of the raw bytes that inflates, inflated into the budget. */
    static void inflateRawStreams(byte[] pdf, Budget budget) {
        int at = 0;
        while ((at = indexOf(pdf, "stream", at)) >= 0) {
            int start = at + "stream".length();
            if (start < pdf.length && pdf[start] == '\r') {
                start++;
            }
            if (start >= pdf.length || pdf[start] != '\n') {
                at = start;
                continue;
            }
            start++;
            int end = indexOf(pdf, "endstream", start);
            int stop = end < 0 ? pdf.length : end;
            inflate(new ByteArrayInputStream(pdf, start, stop - start), budget, 1);
            at = end < 0 ? pdf.length : end + "endstream".length();
        }
    }

    /** Inflates (and inflates again while the output is itself zlib data); data that is not Flate costs nothing. */
    private static void inflate(InputStream compressed, Budget budget, int depth) {
        var inflater = new Inflater();
        try (var in = new InflaterInputStream(compressed, inflater, 8192)) {
            byte[] buffer = new byte[8192];
            int n = in.readNBytes(buffer, 0, 2);
            boolean nested = depth < MAX_NESTING && n == 2 && isZlibHeader(buffer[0], buffer[1]);
            if (nested) { // this layer's output is charged as the next layer reads it, and the rest after
                var layer = new Charged(new java.io.SequenceInputStream(new ByteArrayInputStream(buffer, 0, 2), in),
                        budget);
                inflate(layer, budget, depth + 1);
                while (layer.read(buffer) > 0) {
                    // charged by read
                }
                return;
            }
            budget.charge(n);
            while ((n = in.read(buffer)) > 0) {
                budget.charge(n);
            }
        } catch (IOException notFlate) {
            // not (or not only) Flate data: PDFBox reads it as what its dictionary says, checked below
        } finally {
            inflater.end();
        }
    }

    private static boolean isZlibHeader(byte first, byte second) {
        return (first & 0x0f) == 8 && ((first & 0xff) * 256 + (second & 0xff)) % 31 == 0;
    }

    /**
     * Every stream object decoded through its own filters into the budget (the last filter into a counter, earlier
     * ones into bounded buffers); images are skipped, since text extraction does not decode them.
     */
    private static void decodeEveryStream(PDDocument document, Budget budget) {
        var cos = document.getDocument();
        var keys = cos.getXrefTable().entrySet().stream()
                .sorted((a, b) -> Boolean.compare(a.getValue() < 0, b.getValue() < 0)) // containers before contents
                .map(java.util.Map.Entry::getKey).toList();
        for (var key : keys) {
            var object = cos.getObjectFromPool(key);
            if (object != null && object.getObject() instanceof COSStream stream
                    && !COSName.IMAGE.equals(stream.getCOSName(COSName.SUBTYPE))) {
                decode(stream, budget);
            }
        }
    }

    private static void decode(COSStream stream, Budget budget) {
        try {
            var filters = filters(stream);
            InputStream in = stream.createRawInputStream();
            for (int i = 0; i < filters.size(); i++) {
                boolean last = i == filters.size() - 1;
                var out = new BoundedBuffer(budget, !last);
                try (var input = in) {
                    filters.get(i).decode(input, out, stream, i);
                }
                in = last ? null : new ByteArrayInputStream(out.toByteArray());
            }
            if (in != null) {
                in.close();
            }
        } catch (IOException e) {
            // a stream its filters cannot decode: text extraction decides whether the document is readable
        }
    }

    private static java.util.List<org.apache.pdfbox.filter.Filter> filters(COSStream stream) throws IOException {
        var names = new java.util.ArrayList<COSName>();
        var declared = stream.getFilters();
        if (declared instanceof COSName name) {
            names.add(name);
        } else if (declared instanceof org.apache.pdfbox.cos.COSArray array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.getObject(i) instanceof COSName name) {
                    names.add(name);
                }
            }
        }
        var filters = new java.util.ArrayList<org.apache.pdfbox.filter.Filter>(names.size());
        for (var name : names) {
            filters.add(org.apache.pdfbox.filter.FilterFactory.INSTANCE.getFilter(name));
        }
        return filters;
    }

    private static int indexOf(byte[] data, String word, int from) {
        byte[] needle = word.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = Math.max(0, from); i <= data.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static TooLargeException tooMuchText(Limits limits) {
        return new TooLargeException("the document's text is longer than the " + limits.maxChars()
                + " characters allowed");
    }

    /** Bytes decoded so far for one document. */
    static final class Budget {
        private final long max;
        private long used;

        Budget(long max) {
            this.max = max;
        }

        void charge(long bytes) {
            used += bytes;
            if (used > max) {
                throw new TooLargeException("the document expands to more than " + max
                        + " bytes when its compressed streams are decoded");
            }
        }

        long used() {
            return used;
        }
    }

    /** Charges every byte read through it. */
    private static final class Charged extends java.io.FilterInputStream {
        private final Budget budget;

        Charged(InputStream in, Budget budget) {
            super(in);
            this.budget = budget;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                budget.charge(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                budget.charge(n);
            }
            return n;
        }

        @Override
        public void close() {
            // the layer below is drained and closed by its owner
        }
    }

    /** Charges every byte written; keeps them only when {@code keep} (an intermediate filter's output). */
    private static final class BoundedBuffer extends ByteArrayOutputStream {
        private final Budget budget;
        private final boolean keep;

        BoundedBuffer(Budget budget, boolean keep) {
            this.budget = budget;
            this.keep = keep;
        }

        @Override
        public void write(int b) {
            budget.charge(1);
            if (keep) {
                super.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            budget.charge(len);
            if (keep) {
                super.write(b, off, len);
            }
        }
    }

    /** Collects the stripper's text and refuses the document once it passes {@code maxChars}. */
    private static final class BoundedWriter extends Writer {
        private final StringBuilder text = new StringBuilder();
        private final Limits limits;

        BoundedWriter(Limits limits) {
            this.limits = limits;
        }

        @Override
        public void write(char[] chars, int off, int len) {
            if (text.length() + len > limits.maxChars()) {
                throw tooMuchText(limits);
            }
            text.append(chars, off, len);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }

    private TextExtractor() {
    }
}
