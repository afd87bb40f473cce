package io.voicecoach.coaching.kb;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.text.PDFTextStripper;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Set;

/** The text of an uploaded document: UTF-8 text or Markdown as is, PDF through PDFBox. */
public final class TextExtractor {

    public static final String TEXT = "text/plain";
    public static final String MARKDOWN = "text/markdown";
    public static final String PDF = "application/pdf";
    public static final Set<String> SUPPORTED = Set.of(TEXT, MARKDOWN, PDF);

    /** The document cannot be read as its media type says. */
    public static class UnreadableDocumentException extends RuntimeException {
        UnreadableDocumentException(String message, Throwable cause) {
            super(message, cause);
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

    public static String extract(String mediaType, byte[] body) {
        return switch (mediaType) {
            case TEXT, MARKDOWN -> utf8(body);
            case PDF -> pdf(body);
            default -> throw new IllegalArgumentException("unsupported media type " + mediaType);
        };
    }

    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new UnreadableDocumentException("the document is not valid UTF-8 text", e);
        }
    }

    private static String pdf(byte[] body) {
        try (var document = Loader.loadPDF(body)) {
            return new PDFTextStripper().getText(document);
        } catch (IOException e) {
            throw new UnreadableDocumentException("the document is not a readable PDF: " + e.getMessage(), e);
        }
    }

    private TextExtractor() {
    }
}
