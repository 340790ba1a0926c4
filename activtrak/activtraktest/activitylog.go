package activtraktest

import (
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The log's arrival order: the generated records first (seq 0 to
// days*perDay-1, in date order), then appended records in the order they
// were appended. A cursor is an opaque encoding of the position after the
// last record returned; a request with a cursor returns the records after
// that position whatever their date (late arrivals included), bounded only
// by endDate and the filter.

const cursorPrefix = "atfake:"

func encodeCursor(pos int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + strconv.Itoa(pos)))
}

func decodeCursor(c string) (int, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err == nil && strings.HasPrefix(string(b), cursorPrefix) {
		if n, err := strconv.Atoi(string(b[len(cursorPrefix):])); err == nil && n >= 0 {
			return n, nil
		}
	}
	return 0, badRequest("The cursor '" + c + "' is not valid.")
}

// generatedLen is the number of generated records.
func (s *Server) generatedLen() int { return s.cfg.days * s.cfg.perDay }

// LogLen returns the number of records in the log: generated plus appended.
func (s *Server) LogLen() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.generatedLen() + len(s.late)
}

// Record returns the record at position seq (0-based) of the log's arrival
// order, as the fake sends it; false when there is none.
func (s *Server) Record(seq int) (LogRecord, bool) {
	n := s.generatedLen()
	if seq < 0 {
		return LogRecord{}, false
	}
	if seq < n {
		return s.generated(seq).wire(), true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if seq-n < len(s.late) {
		return s.late[seq-n].wire(), true
	}
	return LogRecord{}, false
}

// Append adds records to the log as late arrivals: they come after every
// record already there, whatever their Date, so a client polling with a
// cursor receives them next. A record with LogID 0 gets the next free id
// (the log's length after it); other ids are kept as given, duplicates
// included. Append returns the records as stored and is safe to call while
// clients are reading.
func (s *Server) Append(recs ...LogRecord) []LogRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]LogRecord, len(recs))
	for i, r := range recs {
		if r.LogID == 0 {
			r.LogID = int64(s.generatedLen() + len(s.late) + 1)
		}
		s.late = append(s.late, r)
		out[i] = r.wire()
	}
	return out
}

func (s *Server) matchRecord(f filter, r *LogRecord) bool {
	switch {
	case f.user != 0:
		return f.user == r.UserID
	case f.group != 0:
		return f.group == r.GroupID
	case f.computer != 0:
		return f.computer == r.ComputerID
	}
	return true
}

func (s *Server) serveActivityLog(w http.ResponseWriter, r *http.Request) {
	page, err := s.activityLogPage(r)
	answer(w, r, page, err)
}

type activityLogAnswer struct {
	Activity []any  `json:"activity"`
	Cursor   string `json:"cursor"`
}

// out is the record as the selected contract sends it.
func (s *Server) out(r LogRecord) any {
	if s.cfg.earlyAccess {
		return r.wire()
	}
	return r.public()
}

func (s *Server) activityLogPage(r *http.Request) (*activityLogAnswer, error) {
	q := r.URL.Query()
	size, err := parseInt(q, "pageSize", 150, 1, 1000)
	if err != nil {
		return nil, err
	}
	f, err := s.parseFilter(q, "activitylog")
	if err != nil {
		return nil, err
	}
	start, ok, err := parseDate(q, "startDate")
	if err != nil {
		return nil, err
	}
	if !ok {
		start = s.cfg.today
	}
	end, hasEnd, err := parseDate(q, "endDate")
	if err != nil {
		return nil, err
	}
	cursor, hasCursor := q.Get("cursor"), q.Get("cursor") != ""
	if hasEnd && ok && !hasCursor && end.Before(start) {
		return nil, badRequest("endDate must not be before startDate.")
	}
	pos := 0
	if hasCursor {
		if pos, err = decodeCursor(cursor); err != nil {
			return nil, err
		}
	}

	s.mu.Lock()
	late := s.late[:len(s.late):len(s.late)]
	s.mu.Unlock()
	n := s.generatedLen()
	per := s.cfg.perDay

	// The generated part to scan: [lo, hi).
	lo, hi := pos, n
	startDay, endDay := s.dayIndex(start), s.dayIndex(end)
	if !hasCursor {
		lo = max(0, min(n, startDay*per))
	}
	if hasEnd {
		hi = max(0, min(n, (endDay+1)*per))
	}
	inRange := func(t time.Time) bool {
		d := s.dayIndex(t)
		return (hasCursor || d >= startDay) && (!hasEnd || d <= endDay)
	}

	out := &activityLogAnswer{Activity: make([]any, 0, min(size, 1024))}
	last := -1
	for seq := lo; seq < hi && len(out.Activity) < size; seq++ {
		u := (seq % per) % s.cfg.users
		if !s.matchUser(f, u) {
			continue
		}
		rec := s.generated(seq)
		if !f.matchDuration(rec.Duration) {
			continue
		}
		out.Activity = append(out.Activity, s.out(rec))
		last = seq
	}
	for i := max(0, pos-n); i < len(late) && len(out.Activity) < size; i++ {
		rec := &late[i]
		if !inRange(rec.Date) || !s.matchRecord(f, rec) || !f.matchDuration(rec.Duration) {
			continue
		}
		out.Activity = append(out.Activity, s.out(*rec))
		last = n + i
	}
	switch {
	case last >= 0:
		out.Cursor = encodeCursor(last + 1)
	case hasCursor:
		out.Cursor = cursor // nothing new: the same cursor back
	default:
		out.Cursor = encodeCursor(n + len(late))
	}
	return out, nil
}
