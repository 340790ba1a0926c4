package paging

import (
	"strings"
	"testing"
)

// FuzzDecodeCheckpoint: any text either decodes to a checkpoint of the
// asked operation and list, which encodes back to the same text, or is a
// *CheckpointError; nothing panics.
func FuzzDecodeCheckpoint(f *testing.F) {
	good := (&Checkpoint{Op: "op", Scope: "h/p", Low: 12345, Floor: 7, Cursor: "c", IDs: []Entry{{T: 12346, ID: 1}, {T: 12350, ID: 99}}}).Encode()
	f.Add(good)
	f.Add("")
	f.Add("ck1.")
	f.Add("ck2.AAAA")
	f.Add(good[:len(good)-1])
	f.Add(strings.Repeat("A", 100))
	f.Fuzz(func(t *testing.T, text string) {
		c, err := DecodeCheckpoint(text, "op", "h/p")
		if err != nil {
			if _, ok := err.(*CheckpointError); !ok {
				t.Fatalf("error %T %v", err, err)
			}
			return
		}
		if c.Op != "op" || c.Scope != "h/p" {
			t.Fatalf("decoded %+v", c)
		}
		if again := c.Encode(); again != text {
			// Entries are encoded sorted; a text with unsorted entries
			// decodes to the same state.
			c2, err := DecodeCheckpoint(again, "op", "h/p")
			if err != nil || len(c2.IDs) != len(c.IDs) {
				t.Fatalf("re-encoding %q: %v", text, err)
			}
		}
	})
}
