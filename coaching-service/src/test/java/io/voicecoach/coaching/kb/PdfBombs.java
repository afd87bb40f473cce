package io.voicecoach.coaching.kb;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Small PDFs that expand hugely: one page whose content stream shows a line of text, line after line, up to
 * {@code expandedBytes},
 * Flate-compressed once or twice (a thousandfold or more per layer), written by hand so the expansion is exact.
 */
final class PdfBombs {

    private PdfBombs() {
    }

    /** @param layers how many times the content is Flate-compressed (1 or 2) */
    static byte[] textBomb(long expandedBytes, int layers) throws IOException {
        byte[] start = "BT /F1 12 Tf 14 TL 50 700 Td\n".getBytes(StandardCharsets.US_ASCII);
        byte[] line = "(the price is too high for us this quarter) '\n".getBytes(StandardCharsets.US_ASCII);
        byte[] content = compress(out -> {
            out.write(start);
            for (long written = start.length; written < expandedBytes; written += line.length) {
                out.write(line);
            }
            out.write("ET\n".getBytes(StandardCharsets.US_ASCII));
        });
        for (int layer = 1; layer < layers; layer++) {
            byte[] inner = content;
            content = compress(out -> out.write(inner));
        }
        String filter = layers == 1 ? "/FlateDecode" : "[" + "/FlateDecode ".repeat(layers).strip() + "]";
        return pdf(content, filter);
    }

    private interface Body {
        void write(OutputStream out) throws IOException;
    }

    private static byte[] compress(Body body) throws IOException {
        var bytes = new ByteArrayOutputStream();
        try (var out = new DeflaterOutputStream(bytes, new Deflater(Deflater.BEST_COMPRESSION), 1 << 16)) {
            body.write(out);
        }
        return bytes.toByteArray();
    }

    private static byte[] pdf(byte[] content, String filter) throws IOException {
        var out = new ByteArrayOutputStream();
        var offsets = new ArrayList<Integer>();
        write(out, "%PDF-1.4\n");
        List<String> objects = List.of(
                "<< /Type /Catalog /Pages 2 0 R >>",
                "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> "
                        + "/Contents 4 0 R >>");
        for (int i = 0; i < objects.size(); i++) {
            offsets.add(out.size());
            write(out, (i + 1) + " 0 obj\n" + objects.get(i) + "\nendobj\n");
        }
        offsets.add(out.size());
        write(out, "4 0 obj\n<< /Length " + content.length + " /Filter " + filter + " >>\nstream\n");
        out.write(content);
        write(out, "\nendstream\nendobj\n");
        offsets.add(out.size());
        write(out, "5 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>\nendobj\n");
        int xref = out.size();
        var table = new StringBuilder("xref\n0 6\n0000000000 65535 f \n");
        offsets.forEach(offset -> table.append("%010d 00000 n \n".formatted(offset)));
        write(out, table + "trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n" + xref + "\n%%EOF\n");
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
    }
}
