package dev.gazette.common.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Uploaded lead images ({@code article/media}): how large a file and how many pixels an upload may have. Read also by
 * {@code common/RequestSizeGuard}, which lets the article form's body be this much larger than other forms.
 */
@ConfigMapping(prefix = "gazette.media")
public interface MediaConfig {

    /** The largest image file an editor may upload. */
    @WithDefault("10M")
    MemorySize maxUploadSize();

    /**
     * The most pixels (width × height) an uploaded image may have, read from its header before it is decoded: a small
     * file can declare a huge picture, and decoding takes four bytes of memory per pixel.
     */
    @WithDefault("40000000")
    long maxPixels();
}
