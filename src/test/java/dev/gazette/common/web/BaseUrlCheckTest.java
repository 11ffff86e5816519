package dev.gazette.common.web;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;


class BaseUrlCheckTest {

    @Test
    void shouldWarnOnlyWhenTheBaseUrlPlainlyNamesAnotherPortOfThisMachine() {
        String problem = BaseUrlCheck.problem("http://localhost:8080", 9090);
        assertTrue(problem.contains("listens on port 9090") && problem.contains("GAZETTE_SITE_BASE_URL"), problem);
        assertTrue(BaseUrlCheck.problem("http://127.0.0.1", 8080).contains("port 80."));
        assertNull(BaseUrlCheck.problem("http://localhost:9090", 9090));
        assertNull(BaseUrlCheck.problem("https://news.example.org", 8080), "a proxy in front: nothing to say");
        assertNull(BaseUrlCheck.problem("https://localhost", 443));
    }
}
