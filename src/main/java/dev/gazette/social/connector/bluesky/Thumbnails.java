package dev.gazette.social.connector.bluesky;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import dev.gazette.social.spi.SocialHttp;

/**
 * The card thumbnail: the article's lead image, fetched and, when larger than the PDS takes, re-encoded smaller. Any
 * failure here leaves the thumbnail out; the post still goes, with a card without an image.
 */
final class Thumbnails {

    /** The largest lead image downloaded to make a card from (it is then shrunk below the blob limit). */
    static final long MAX_DOWNLOAD = 20L * 1024 * 1024;

    /** An image ready for uploadBlob. */
    record Image(byte[] bytes, String contentType) {
    }

    /** Longest side decoded from a source image: larger ones are subsampled while reading (no decompression bomb). */
    static final int MAX_DECODE_SIDE = 4000;
    /** Longest side of a re-encoded thumbnail; cards are shown far smaller. */
    static final int MAX_THUMB_SIDE = 2000;
    /** Types Bluesky's apps show as a card image as they are; others (BMP, TIFF) are converted to JPEG. */
    static final Set<String> SHOWN = Set.of("image/jpeg", "image/png", "image/gif", "image/webp");
    private static final float[] QUALITIES = {0.85f, 0.7f, 0.5f};

    private final SocialHttp http;
    private final int maxBytes;

    Thumbnails(SocialHttp http, int maxBytes) {
        this.http = http;
        this.maxBytes = maxBytes;
    }

    /** The image at {@code url}, at most {@code maxBytes} long; empty if it cannot be fetched or made small enough. */
    Optional<Image> fetch(String url) {
        SocialHttp.Download response;
        try {
            response = http.download(HttpRequest.newBuilder(URI.create(url)).GET().header("Accept", "image/*"), MAX_DOWNLOAD);
        } catch (SocialHttp.NotSent | SocialHttp.OutcomeUnknown | IllegalArgumentException e) {
            return Optional.empty();
        }
        byte[] body = response.body();
        if (response.status() < 200 || response.status() >= 300 || body == null || body.length == 0) {
            return Optional.empty();
        }
        String type = response.headers().firstValue("Content-Type")
                .map(t -> t.split(";")[0].trim().toLowerCase(Locale.ROOT))
                .filter(t -> t.startsWith("image/"))
                .orElseGet(() -> sniff(body));
        if (type == null) {
            return Optional.empty();
        }
        if (body.length <= maxBytes && SHOWN.contains(type)) {
            return Optional.of(new Image(body, type));
        }
        return shrink(body, maxBytes).map(jpeg -> new Image(jpeg, "image/jpeg"));
    }

    /** The image type from its first bytes, for servers that send no usable Content-Type; null if unknown. */
    static String sniff(byte[] b) {
        if (b.length >= 8 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return "image/png";
        }
        if (b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) {
            return "image/jpeg";
        }
        if (b.length >= 6 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F' && b[3] == '8') {
            return "image/gif";
        }
        if (b.length >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F' && b[8] == 'W' && b[9] == 'E'
                && b[10] == 'B' && b[11] == 'P') {
            return "image/webp";
        }
        return null;
    }

    /**
     * The image re-encoded as a JPEG of at most {@code maxBytes}: first at most {@value #MAX_THUMB_SIDE} px on its
     * longest side at falling qualities, then scaled down further step by step. Transparency is flattened on white.
     * Empty when ImageIO cannot read the format (WebP, SVG) or nothing small enough comes out.
     */
    static Optional<byte[]> shrink(byte[] original, int maxBytes) {
        try {
            BufferedImage source = decode(original);
            if (source == null) {
                return Optional.empty();
            }
            int longest = Math.max(source.getWidth(), source.getHeight());
            double scale = Math.min(1.0, (double) MAX_THUMB_SIDE / longest);
            do {
                BufferedImage scaled = scaled(source, scale);
                for (float quality : QUALITIES) {
                    byte[] jpeg = jpeg(scaled, quality);
                    if (jpeg.length <= maxBytes) {
                        return Optional.of(jpeg);
                    }
                }
                scale *= 0.7;
            } while (longest * scale >= 32); // below that a thumbnail shows nothing useful
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static BufferedImage decode(byte[] bytes) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                return null;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int longest = Math.max(reader.getWidth(0), reader.getHeight(0));
                ImageReadParam param = reader.getDefaultReadParam();
                int step = (longest + MAX_DECODE_SIDE - 1) / MAX_DECODE_SIDE;
                if (step > 1) {
                    param.setSourceSubsampling(step, step, 0, 0);
                }
                return reader.read(0, param);
            } finally {
                reader.dispose();
            }
        }
    }

    private static BufferedImage scaled(BufferedImage source, double scale) {
        int width = Math.max(1, (int) Math.round(source.getWidth() * scale));
        int height = Math.max(1, (int) Math.round(source.getHeight() * scale));
        BufferedImage target = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = target.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.drawImage(source, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return target;
    }

    private static byte[] jpeg(BufferedImage image, float quality) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
