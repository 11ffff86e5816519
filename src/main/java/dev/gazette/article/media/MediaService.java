package dev.gazette.article.media;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import jakarta.enterprise.context.ApplicationScoped;

import dev.gazette.common.OwnerOnlyFiles;
import dev.gazette.common.config.DataConfig;
import dev.gazette.common.config.MediaConfig;
import dev.gazette.common.config.SiteConfig;
import dev.gazette.common.error.ProblemException;
import io.quarkus.logging.Log;
import net.coobird.thumbnailator.Thumbnails;
import net.coobird.thumbnailator.geometry.Positions;

/**
 * Uploaded lead images, kept under {@code <data dir>/media} (one node; a cluster needs that folder on shared storage).
 * An upload is checked before it is decoded (a JPEG, PNG or WebP by its first bytes, not by its name; at most
 * {@code gazette.media.max-upload-size} bytes and {@code gazette.media.max-pixels} pixels by its header), decoded
 * once, turned upright by its EXIF orientation, flattened onto white, and written as JPEG: the image (at most
 * {@link #LARGEST} pixels on its long side) and its {@link MediaUrls.Variant variants}. Re-encoding drops the file's
 * metadata, so a phone picture's location does not reach readers. Files are named by the SHA-256 of the upload, so
 * the same picture uploaded twice is stored once, and a name never changes content: they are served as immutable.
 */
@ApplicationScoped
public class MediaService {

    /** The long side of the stored image, in pixels: twice a wide column on a high-density screen. */
    public static final int LARGEST = 2400;
    /** What {@code /media/} serves: a stored image or one of its variants, and nothing else. */
    private static final Pattern FILE_NAME = Pattern.compile("[0-9a-f]{32}(-card|-thumb|-small|-logo)?\\.jpg");
    /** A newsletter's logo fits in this box, uncropped (twice its size in the digest's header, for sharp screens). */
    public static final int LOGO_WIDTH = 480;
    public static final int LOGO_HEIGHT = 160;
    private static final float QUALITY = 0.85f;

    /** An image written under its name; {@code created} is false when the same picture was there already. */
    public record Stored(String name, String url, int width, int height, boolean created) {
    }

    private enum Type {
        JPEG("jpeg"), PNG("png"), WEBP("webp");

        final String format;

        Type(String format) {
            this.format = format;
        }
    }

    private final Path folder;
    private final MediaConfig config;
    private final SiteConfig site;
    /** Decoding takes up to four bytes per pixel: two at a time keeps a burst of uploads within the heap. */
    private final Semaphore decoding = new Semaphore(2);

    MediaService(DataConfig data, MediaConfig config, SiteConfig site) {
        this.folder = data.dir().resolve("media").toAbsolutePath();
        this.config = config;
        this.site = site;
    }

    /** The folder the images are in (backups copy it). */
    public Path folder() {
        return folder;
    }

    /**
     * Checks, converts and stores the uploaded file. A file that is refused stores nothing; the problem names
     * {@code field} and says what is wrong in the editor's terms.
     */
    public Stored store(Path upload, String field) {
        Decoded decoded = decode(upload, field);
        BufferedImage image = decoded.image();
        try {
            Map<String, byte[]> files = new LinkedHashMap<>();
            String name = name(upload);
            for (MediaUrls.Variant variant : MediaUrls.Variant.values()) {
                files.put(name + variant.suffix + ".jpg", jpeg(Thumbnails.of(image).size(variant.width, variant.height)
                        .crop(Positions.CENTER)));
            }
            // the image itself last: when it is there, its variants are too
            boolean large = Math.max(image.getWidth(), image.getHeight()) > LARGEST;
            files.put(name + ".jpg", jpeg(large ? Thumbnails.of(image).size(LARGEST, LARGEST) : Thumbnails.of(image).scale(1)));
            boolean created = write(files);
            String url = site.baseUrl() + "/media/" + name + ".jpg";
            Log.infof("Image %s stored (%dx%d, %s, %s)%s", name, image.getWidth(), image.getHeight(), decoded.type().format,
                    megabytes(decoded.size()), created ? "" : ": it was there already");
            return new Stored(name, url, image.getWidth(), image.getHeight(), created);
        } catch (IOException e) {
            throw new UncheckedIOException("The image could not be written under " + folder + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks and stores a newsletter's logo: the same checks as a lead image, then one file, {@code <name>-logo.jpg},
     * fitted uncropped into {@link #LOGO_WIDTH}×{@link #LOGO_HEIGHT} on white.
     */
    public Stored storeLogo(Path upload, String field) {
        Decoded decoded = decode(upload, field);
        BufferedImage image = decoded.image();
        try {
            String name = name(upload);
            boolean created = write(Map.of(name + "-logo.jpg", jpeg(Thumbnails.of(image).size(LOGO_WIDTH, LOGO_HEIGHT))));
            return new Stored(name, site.baseUrl() + "/media/" + name + "-logo.jpg", image.getWidth(), image.getHeight(), created);
        } catch (IOException e) {
            throw new UncheckedIOException("The logo could not be written under " + folder + ": " + e.getMessage(), e);
        }
    }

    /** Removes what {@link #store} wrote, when the form it came with was refused. An image stored before stays. */
    public void discard(Stored stored) {
        if (stored == null || !stored.created()) {
            return;
        }
        try {
            Files.deleteIfExists(folder.resolve(stored.name() + ".jpg"));
            for (MediaUrls.Variant variant : MediaUrls.Variant.values()) {
                Files.deleteIfExists(folder.resolve(stored.name() + variant.suffix + ".jpg"));
            }
        } catch (IOException e) {
            Log.warnf("Image %s could not be removed after its form was refused: %s", stored.name(), e.getMessage());
        }
    }

    /** The stored file of that name, if the name is one {@code /media/} serves and the file exists. */
    public Optional<Path> file(String fileName) {
        if (fileName == null || !FILE_NAME.matcher(fileName).matches()) {
            return Optional.empty();
        }
        Path file = folder.resolve(fileName);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    private record Decoded(BufferedImage image, Type type, long size) {
    }

    /** The upload checked (size, type by its bytes, pixels by its header) and decoded; refused naming {@code field}. */
    private Decoded decode(Path upload, String field) {
        long size;
        try {
            size = Files.size(upload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long max = config.maxUploadSize().asLongValue();
        if (size == 0) {
            throw ProblemException.invalid(field, "is an empty file");
        }
        if (size > max) {
            throw ProblemException.invalid(field, "is " + megabytes(size) + ": the largest image accepted is " + megabytes(max));
        }
        Type type = type(upload).orElseThrow(() -> ProblemException.invalid(field,
                "must be a JPEG, PNG or WebP image (this file is not one of them, whatever its name says)"));
        return new Decoded(decode(upload, type, field), type, size);
    }

    /** The type from the file's first bytes. */
    private static Optional<Type> type(Path upload) {
        byte[] head = new byte[12];
        int read;
        try (InputStream in = Files.newInputStream(upload)) {
            read = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (read >= 3 && (head[0] & 0xff) == 0xff && (head[1] & 0xff) == 0xd8 && (head[2] & 0xff) == 0xff) {
            return Optional.of(Type.JPEG);
        }
        if (read >= 8 && (head[0] & 0xff) == 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G' && head[4] == 0x0d
                && head[5] == 0x0a && head[6] == 0x1a && head[7] == 0x0a) {
            return Optional.of(Type.PNG);
        }
        if (read >= 12 && head[0] == 'R' && head[1] == 'I' && head[2] == 'F' && head[3] == 'F' && head[8] == 'W'
                && head[9] == 'E' && head[10] == 'B' && head[11] == 'P') {
            return Optional.of(Type.WEBP);
        }
        return Optional.empty();
    }

    private BufferedImage decode(Path upload, Type type, String field) {
        ProblemException unreadable = ProblemException.invalid(field,
                "could not be read as a " + type.name() + " image: the file may be damaged or cut short");
        try (ImageInputStream in = ImageIO.createImageInputStream(upload.toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(type.format);
            if (in == null || !readers.hasNext()) {
                throw unreadable;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long width = reader.getWidth(0);
                long height = reader.getHeight(0);
                if (width * height > config.maxPixels()) {
                    throw ProblemException.invalid(field, "is " + width + "×" + height + " pixels: the largest image accepted has "
                            + config.maxPixels() / 1_000_000 + " million pixels");
                }
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ProblemException problem) {
                throw problem;
            }
            throw unreadable;
        }
        decoding.acquireUninterruptibly();
        try {
            // Thumbnailator reads the picture with ImageIO and applies the EXIF orientation of a JPEG
            BufferedImage read = Thumbnails.of(upload.toFile()).scale(1).useExifOrientation(true).asBufferedImage();
            return flattened(read);
        } catch (IOException | RuntimeException e) {
            throw unreadable;
        } finally {
            decoding.release();
        }
    }

    /** The picture on a white background, without an alpha channel (JPEG has none). */
    private static BufferedImage flattened(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB || image.getType() == BufferedImage.TYPE_3BYTE_BGR) {
            return image;
        }
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return rgb;
    }

    private static byte[] jpeg(Thumbnails.Builder<BufferedImage> builder) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        builder.outputFormat("jpg").outputQuality(QUALITY).toOutputStream(out);
        return out.toByteArray();
    }

    private static String name(Path upload) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(upload), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            byte[] digest = ((DigestInputStream) in).getMessageDigest().digest();
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes each file through a temporary one, so that a file under its final name is always whole. */
    private boolean write(Map<String, byte[]> files) throws IOException {
        OwnerOnlyFiles.createDirectories(folder);
        String image = files.keySet().stream().reduce((a, b) -> b).orElseThrow();
        if (Files.isRegularFile(folder.resolve(image))) {
            return false;
        }
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            Path tmp = OwnerOnlyFiles.createTempFile(folder, ".upload-", ".tmp");
            try {
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    out.write(file.getValue());
                }
                try {
                    Files.move(tmp, folder.resolve(file.getKey()), StandardCopyOption.ATOMIC_MOVE,
                            StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, folder.resolve(file.getKey()), StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        return true;
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
    }
}
