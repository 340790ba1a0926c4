package activtraktest

import (
	"fmt"
	"net/url"
	"strconv"
	"time"
)

// badRequest is a 400 answer's message.
type badRequest string

func (b badRequest) Error() string { return string(b) }

// parseDate reads a YYYY-MM-DD parameter; ok is false when it is absent.
func parseDate(q url.Values, name string) (time.Time, bool, error) {
	v := q.Get(name)
	if v == "" {
		return time.Time{}, false, nil
	}
	t, err := time.Parse("2006-01-02", v)
	if err != nil {
		return time.Time{}, false, badRequest(fmt.Sprintf("The value '%s' is not valid for %s. Format: YYYY-MM-DD.", v, name))
	}
	return t, true, nil
}

// parseInt reads an integer parameter with a default and bounds.
func parseInt(q url.Values, name string, def, lo, hi int) (int, error) {
	v := q.Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, badRequest(fmt.Sprintf("The value '%s' is not valid for %s: must be between %d and %d.", v, name, lo, hi))
	}
	return n, nil
}

// filter is the one of userId, groupId, computerId a request carries.
type filter struct {
	user, group, computer int64 // 0: not set; user -1: all users
}

// parseFilter applies the one-of rule.
func parseFilter(q url.Values) (filter, error) {
	var f filter
	set := 0
	for _, p := range []struct {
		name string
		dst  *int64
	}{{"userId", &f.user}, {"groupId", &f.group}, {"computerId", &f.computer}} {
		v, ok := q[p.name]
		if !ok {
			continue
		}
		set++
		n, err := strconv.ParseInt(v[0], 10, 64)
		if err != nil {
			return f, badRequest(fmt.Sprintf("The value '%s' is not valid for %s.", v[0], p.name))
		}
		*p.dst = n
	}
	if set > 1 {
		return f, badRequest("Only one of the fields (userId, groupId, computerId) can be sent per request.")
	}
	if f.user == -1 {
		f.user = 0
	}
	return f, nil
}

// matchUser reports whether user index u (with its group and computer)
// passes f.
func (s *Server) matchUser(f filter, u int) bool {
	switch {
	case f.user != 0:
		return f.user == userID(u)
	case f.group != 0:
		return f.group == groupID(u%s.cfg.groups)
	case f.computer != 0:
		return f.computer == computerID(u)
	}
	return true
}

// dayIndex is the 0-based day of t in the data (may be out of range).
func (s *Server) dayIndex(t time.Time) int {
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return int(d.Sub(s.cfg.start).Hours() / 24)
}
