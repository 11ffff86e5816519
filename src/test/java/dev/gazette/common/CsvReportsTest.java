package dev.gazette.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.gazette.common.CsvCells;

class CsvReportsTest {

    private record Row(String text, long number) {
    }

    private static final List<CsvReports.Column<Row>> COLUMNS = List.of(new CsvReports.Column<>("text", Row::text),
            new CsvReports.Column<>("number", Row::number));

    @Test
    void shouldNeutraliseEveryFormulaStart() {
        for (String cell : List.of("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx")) {
            assertEquals("'" + cell, CsvCells.safe(cell));
        }
        assertEquals("plain", CsvCells.safe("plain"));
        assertEquals("a=b", CsvCells.safe("a=b"));
        assertEquals("", CsvCells.safe(null));
    }

    @Test
    void shouldQuoteSeparatorsQuotesAndLineBreaks() {
        assertEquals("text,number\n\"a,b\",1\n\"say \"\"hi\"\"\",2\n\"two\nlines\",3\n'-1,4\n",
                CsvReports.write(COLUMNS, List.of(new Row("a,b", 1), new Row("say \"hi\"", 2), new Row("two\nlines", 3),
                        new Row("-1", 4))));
    }

    @Test
    void shouldWriteTheHeaderOfAnEmptyReport() {
        assertEquals("text,number\n", CsvReports.write(COLUMNS, List.of()));
    }
}
