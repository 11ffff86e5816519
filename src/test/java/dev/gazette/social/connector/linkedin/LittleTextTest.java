package dev.gazette.social.connector.linkedin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LittleTextTest {

    @Test
    void everyReservedCharacterGetsABackslash() {
        assertEquals("\\\\ \\| \\{ \\} \\@ \\[ \\] \\( \\) \\< \\> \\# \\* \\_ \\~",
                LittleText.escape("\\ | { } @ [ ] ( ) < > # * _ ~"));
    }

    @Test
    void otherTextIsLeftAlone() {
        String plain = "Café, 夜行列車 🚆 & \"quotes\" + 100% ! ? / : ; = $ ^ ` '";
        assertEquals(plain, LittleText.escape(plain));
    }

    @Test
    void urlsAndHashtagsAreEscapedToo() {
        assertEquals("https://gazette.example/l/Li9?utm\\_source=linkedin&utm\\_campaign=a\\~b \\#rail",
                LittleText.escape("https://gazette.example/l/Li9?utm_source=linkedin&utm_campaign=a~b #rail"));
    }
}
