package paging

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"
)

// MaxCheckpointLen is the largest checkpoint an event feed produces or
// accepts, in bytes.
const MaxCheckpointLen = 32 << 10

// MaxCheckpointIDs is the most record ids a checkpoint remembers. When the
// records of a feed's lookback window are more, the oldest are forgotten and
// the window starts after them (see Window.Advance).
const MaxCheckpointIDs = 1024

// checkpointPrefix starts every checkpoint of format version 1.
const checkpointPrefix = "ck1."

// Checkpoint is the decoded state of an event feed between runs. Op names
// the operation and Scope the list (host and path) it belongs to; the rest
// is the feed's own state.
type Checkpoint struct {
	Op    string
	Scope string
	// Low is the earliest record time the next walk re-reads (UnixNano; 0
	// for none). Every record delivered at or after Low is in IDs.
	Low int64
	// Floor, Upper and Max are SD Elements' state (see the sdelements
	// package): ids up to Floor are covered; while a walk is partway, records
	// dated after Upper (UnixNano) with ids up to Max are covered too.
	Floor, Upper, Max int64
	// Cursor is a provider cursor (ActivTrak activity log).
	Cursor string
	// Day is a calendar date, YYYY-MM-DD (ActivTrak working hours: the
	// first day not yet final).
	Day string
	// IDs are the records the checkpoint covers, with their times.
	IDs []Entry
}

// Entry is one record a checkpoint covers: its time (UnixNano) and its id
// (the id itself for numeric ids, a 64-bit hash for string ids).
type Entry struct {
	T  int64
	ID uint64
}

// Encode returns the checkpoint's opaque text: "ck1." and the URL-safe
// base64 of a checksum and the binary state.
func (c *Checkpoint) Encode() string {
	b := make([]byte, 8, 64+16*len(c.IDs))
	b = appendString(b, c.Op)
	b = appendString(b, c.Scope)
	b = binary.AppendVarint(b, c.Low)
	b = binary.AppendVarint(b, c.Floor)
	b = binary.AppendVarint(b, c.Upper)
	b = binary.AppendVarint(b, c.Max)
	b = appendString(b, c.Cursor)
	b = appendString(b, c.Day)
	ids := slices.Clone(c.IDs)
	slices.SortFunc(ids, func(a, b Entry) int {
		if a.T != b.T {
			return cmpInt(a.T, b.T)
		}
		return cmpInt(a.ID, b.ID)
	})
	b = binary.AppendUvarint(b, uint64(len(ids)))
	prev := c.Low
	for _, e := range ids {
		b = binary.AppendVarint(b, e.T-prev)
		prev = e.T
		b = binary.AppendUvarint(b, e.ID)
	}
	sum := sha256.Sum256(b[8:])
	copy(b[:8], sum[:8])
	return checkpointPrefix + base64.RawURLEncoding.EncodeToString(b)
}

func cmpInt[N int64 | uint64](a, b N) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// CheckpointError is why a checkpoint text cannot be used; its message is
// written for a ValidationError's problem.
type CheckpointError struct{ Problem string }

func (e *CheckpointError) Error() string { return e.Problem }

func bad(format string, args ...any) error {
	return &CheckpointError{Problem: fmt.Sprintf(format, args...)}
}

// DecodeCheckpoint parses a checkpoint text and checks that it belongs to op
// on scope. Every failure is a *CheckpointError: too long, another format
// version, corrupt (bad encoding or checksum), another operation, another
// list (organization, workspace, instance or host).
func DecodeCheckpoint(text, op, scope string) (*Checkpoint, error) {
	if len(text) > MaxCheckpointLen {
		return nil, bad("is %d bytes, more than the %d a checkpoint can be; pass a Page.Checkpoint unchanged", len(text), MaxCheckpointLen)
	}
	rest, ok := strings.CutPrefix(text, checkpointPrefix)
	if !ok {
		if v, _, found := strings.Cut(text, "."); found && strings.HasPrefix(v, "ck") {
			return nil, bad("has format version %q, which this version of activity-go does not read", strings.TrimPrefix(v, "ck"))
		}
		return nil, bad("is not a checkpoint (want a Page.Checkpoint of an earlier walk, passed unchanged)")
	}
	b, err := base64.RawURLEncoding.DecodeString(rest)
	if err != nil || len(b) < 8 {
		return nil, bad("is corrupt (not the encoding of a checkpoint)")
	}
	sum := sha256.Sum256(b[8:])
	if string(sum[:8]) != string(b[:8]) {
		return nil, bad("is corrupt (checksum mismatch)")
	}
	r := reader{b: b[8:]}
	c := &Checkpoint{}
	c.Op = r.string()
	c.Scope = r.string()
	c.Low = r.varint()
	c.Floor = r.varint()
	c.Upper = r.varint()
	c.Max = r.varint()
	c.Cursor = r.string()
	c.Day = r.string()
	n := r.uvarint()
	if r.err == nil && n > MaxCheckpointLen/2 {
		r.err = errors.New("too many ids")
	}
	if r.err == nil {
		c.IDs = make([]Entry, 0, n)
		prev := c.Low
		for i := uint64(0); i < n && r.err == nil; i++ {
			d := r.varint()
			if (d > 0 && prev > math.MaxInt64-d) || (d < 0 && prev < math.MinInt64-d) {
				r.err = errors.New("time overflow")
				break
			}
			prev += d
			c.IDs = append(c.IDs, Entry{T: prev, ID: r.uvarint()})
		}
	}
	if r.err != nil || len(r.b) != 0 {
		return nil, bad("is corrupt (malformed content)")
	}
	if c.Op != op {
		return nil, bad("is a checkpoint of %s, not of %s", c.Op, op)
	}
	if c.Scope != scope {
		return nil, bad("was made for another list (%s), not this one (%s): another organization, workspace, instance or host", c.Scope, scope)
	}
	return c, nil
}

type reader struct {
	b   []byte
	err error
}

func (r *reader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errors.New("bad uvarint")
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) varint() int64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err = errors.New("bad varint")
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) string() string {
	n := r.uvarint()
	if r.err != nil {
		return ""
	}
	if n > uint64(len(r.b)) {
		r.err = errors.New("short string")
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

// Window is the state of a feed delivered in ascending time order: every
// record delivered at or after Low, by id. A walk re-reads from Low and
// drops the ids the window covers; Advance moves Low up to the lookback
// before the newest record delivered and forgets older ids.
type Window struct {
	Low     int64 // UnixNano; re-read from here (inclusive)
	entries []Entry
	set     map[uint64]struct{}
	newest  int64
}

// NewWindow returns the window of a checkpoint (nil: an empty window with
// no lower bound).
func NewWindow(c *Checkpoint) *Window {
	w := &Window{set: map[uint64]struct{}{}, newest: math.MinInt64}
	if c != nil {
		w.Low = c.Low
		for _, e := range c.IDs {
			w.add(e)
		}
	}
	return w
}

// Covers reports whether the record with this id was delivered already.
func (w *Window) Covers(id uint64) bool {
	_, ok := w.set[id]
	return ok
}

// Add records a delivered record.
func (w *Window) Add(t time.Time, id uint64) { w.add(Entry{T: t.UnixNano(), ID: id}) }

func (w *Window) add(e Entry) {
	if _, dup := w.set[e.ID]; dup {
		return
	}
	w.set[e.ID] = struct{}{}
	w.entries = append(w.entries, e)
	w.newest = max(w.newest, e.T)
}

// Advance sets Low to the lookback before the newest record delivered (Low
// never moves back) and forgets ids older than Low. When more than
// MaxCheckpointIDs remain, the oldest instants are forgotten whole and Low
// moves just past them: records stamped there are then not re-read.
func (w *Window) Advance(lookback time.Duration) {
	if len(w.entries) == 0 {
		return
	}
	if w.newest > math.MinInt64+int64(lookback) {
		w.Low = max(w.Low, w.newest-int64(lookback))
	}
	slices.SortFunc(w.entries, func(a, b Entry) int { return cmpInt(a.T, b.T) })
	i := 0
	for i < len(w.entries) && w.entries[i].T < w.Low {
		i++
	}
	for len(w.entries)-i > MaxCheckpointIDs && w.entries[i].T < w.newest {
		t := w.entries[i].T
		for i < len(w.entries) && w.entries[i].T == t {
			i++
		}
		w.Low = t + 1
	}
	for _, e := range w.entries[:i] {
		delete(w.set, e.ID)
	}
	w.entries = slices.Delete(w.entries, 0, i)
}

// Entries returns the ids the window covers.
func (w *Window) Entries() []Entry { return slices.Clone(w.entries) }

// Len is the number of ids the window covers.
func (w *Window) Len() int { return len(w.entries) }

// Scope is the list a checkpoint belongs to: the base URL's host and the
// list's path. A loopback host (a test server, an offline fake) is taken
// without its port, which changes from run to run.
func Scope(base *url.URL, path string) string {
	host := base.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		if ip := net.ParseIP(h); h == "localhost" || (ip != nil && ip.IsLoopback()) {
			host = h
		}
	}
	return host + path
}
