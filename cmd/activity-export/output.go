package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
)

// recordWriter writes records in one format and counts the bytes it wrote.
type recordWriter struct {
	format  string
	bw      *bufio.Writer
	cw      *csv.Writer
	cols    []string
	written int64
	header  bool
}

type countingWriter struct {
	w *int64
	u io.Writer
}

func (c countingWriter) Write(p []byte) (int, error) {
	n, err := c.u.Write(p)
	*c.w += int64(n)
	return n, err
}

func newRecordWriter(w io.Writer, format string, cols []string, headerWritten bool) (*recordWriter, error) {
	rw := &recordWriter{format: format, cols: cols, header: headerWritten}
	rw.bw = bufio.NewWriterSize(countingWriter{w: &rw.written, u: w}, 64<<10)
	switch format {
	case "jsonl":
	case "csv":
		rw.cw = csv.NewWriter(rw.bw)
	default:
		return nil, fmt.Errorf("unknown format %q (want jsonl or csv)", format)
	}
	return rw, nil
}

// write adds one record: its JSON form for jsonl, its row for csv.
func (rw *recordWriter) write(rec record) error {
	if rw.format == "jsonl" {
		b, err := json.Marshal(rec.value)
		if err != nil {
			return err
		}
		if _, err := rw.bw.Write(b); err != nil {
			return err
		}
		return rw.bw.WriteByte('\n')
	}
	if err := rw.writeHeader(); err != nil {
		return err
	}
	return rw.cw.Write(rec.row)
}

// writeHeader writes the CSV header line unless the output has one already
// (a resumed export's does); JSON Lines has none.
func (rw *recordWriter) writeHeader() error {
	if rw.cw == nil || rw.header {
		return nil
	}
	if err := rw.cw.Write(rw.cols); err != nil {
		return err
	}
	rw.header = true
	return nil
}

// flush pushes everything buffered to the underlying writer.
func (rw *recordWriter) flush() error {
	if rw.cw != nil {
		rw.cw.Flush()
		if err := rw.cw.Error(); err != nil {
			return err
		}
	}
	return rw.bw.Flush()
}
