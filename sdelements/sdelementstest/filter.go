package sdelementstest

import (
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// filter is a parsed list query. Unset fields are nil; a value that can match
// nothing (an unknown name) is kept as an impossible value.
type filter struct {
	actor, user, app, bu, project, id *int64
	appDesc, buDesc, projectDesc      *int64 // the number the name encodes, -1 when none
	name                              *int   // kind index, -1 when unknown
	standard, standardDesc            *int   // standard index, -2 when unknown
	from, to                          *time.Time
}

// parseFilter reads the query like django-filter: empty values are ignored,
// malformed numbers and dates are 400s keyed by parameter.
func (s *Server) parseFilter(q url.Values) (filter, map[string][]string) {
	var f filter
	errs := map[string][]string{}
	num := func(key string, dst **int64) {
		raw := strings.TrimSpace(q.Get(key))
		if raw == "" {
			return
		}
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			errs[key] = []string{"Enter a number."}
			return
		}
		*dst = &n
	}
	num("actor", &f.actor)
	num("user", &f.user)
	num("application", &f.app)
	num("business_unit", &f.bu)
	num("project", &f.project)
	num("id", &f.id)
	desc := func(key, prefix string, dst **int64) {
		raw := q.Get(key)
		if raw == "" {
			return
		}
		n := int64(-1)
		if rest, ok := strings.CutPrefix(raw, prefix+" "); ok {
			if v, err := strconv.ParseInt(rest, 10, 64); err == nil && strconv.FormatInt(v, 10) == rest {
				n = v
			}
		}
		*dst = &n
	}
	desc("application_desc", "Application", &f.appDesc)
	desc("business_unit_desc", "Business Unit", &f.buDesc)
	desc("project_desc", "Project", &f.projectDesc)
	if raw := q.Get("name"); raw != "" {
		k := -1
		for i := range kinds {
			if kinds[i].name == raw {
				k = i
			}
		}
		f.name = &k
	}
	std := func(key string, dst **int, text func(attrs) string) {
		raw := q.Get(key)
		if raw == "" {
			return
		}
		idx := -2
		for i := 0; i < len(builtinStandards)+customStandards; i++ {
			if text(attrs{standard: i}) == raw {
				idx = i
				break
			}
		}
		*dst = &idx
	}
	std("standard", &f.standard, attrs.standardID)
	std("standard_desc", &f.standardDesc, attrs.standardDesc)
	date := func(key string, dst **time.Time) {
		raw := strings.TrimSpace(q.Get(key))
		if raw == "" {
			return
		}
		t, ok := parseDate(raw, s.loc)
		if !ok {
			errs[key] = []string{"Enter a valid date/time."}
			return
		}
		*dst = &t
	}
	date("date_from", &f.from)
	date("date_to", &f.to)
	if len(errs) > 0 {
		return f, errs
	}
	return f, nil
}

// parseDate reads ISO 8601 dates as Django does: a date, or a date and time
// with optional seconds and fraction, and an optional zone; without a zone
// the value is in loc (the server's local time).
func parseDate(raw string, loc *time.Location) (time.Time, bool) {
	zoned := []string{"2006-01-02T15:04:05.999999999Z07:00", "2006-01-02T15:04Z07:00",
		"2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04Z07:00"}
	for _, l := range zoned {
		if t, err := time.Parse(l, raw); err == nil {
			return t, true
		}
	}
	local := []string{"2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02 15:04:05.999999999",
		"2006-01-02 15:04", "2006-01-02"}
	for _, l := range local {
		if t, err := time.ParseInLocation(l, raw, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// view is the ordered (newest first) list of matching ids.
type view struct {
	lo, hi int64   // id range, used when ids is nil: ids hi, hi-1, ..., lo
	ids    []int64 // explicit list when filtered on more than ids and dates
}

func (v view) len() int64 {
	if v.ids != nil {
		return int64(len(v.ids))
	}
	return max(v.hi-v.lo+1, 0)
}

func (v view) at(k int64) int64 {
	if v.ids != nil {
		return v.ids[k]
	}
	return v.hi - k
}

// match narrows the id range by id and dates (dates increase with ids), then
// scans the range for the other filters; scans are cached per query so a
// walk through a filtered list costs one scan.
func (s *Server) match(f filter) view {
	v := s.matchGenerated(f)
	s.mu.Lock()
	appended := s.appended[:len(s.appended):len(s.appended)]
	s.mu.Unlock()
	if len(appended) == 0 {
		return v
	}
	// Appended activities: merge them in, newest first (then highest id).
	ids := make([]int64, 0, v.len()+int64(len(appended)))
	for k := int64(0); k < v.len(); k++ {
		ids = append(ids, v.at(k))
	}
	for k, d := range appended {
		id := s.n + int64(k) + 1
		if (f.id != nil && *f.id != id) || (f.from != nil && d.Before(*f.from)) || (f.to != nil && d.After(*f.to)) ||
			(f.scans() && !f.keep(attrsOf(id))) {
			continue
		}
		ids = append(ids, id)
	}
	sort.SliceStable(ids, func(a, b int) bool {
		da, db := s.dateAny(ids[a], appended), s.dateAny(ids[b], appended)
		if !da.Equal(db) {
			return da.After(db)
		}
		return ids[a] > ids[b]
	})
	return view{ids: ids}
}

// dateAny is the date of a generated or appended activity.
func (s *Server) dateAny(id int64, appended []time.Time) time.Time {
	if id > s.n {
		return appended[id-s.n-1]
	}
	return s.dateOf(id)
}

func (s *Server) matchGenerated(f filter) view {
	lo, hi := int64(1), s.n
	if f.id != nil {
		lo, hi = max(lo, *f.id), min(hi, *f.id)
	}
	if f.from != nil {
		from := *f.from
		lo = max(lo, 1+int64(sort.Search(int(s.n), func(i int) bool { return !s.dateOf(int64(i) + 1).Before(from) })))
	}
	if f.to != nil {
		to := *f.to
		hi = min(hi, int64(sort.Search(int(s.n), func(i int) bool { return s.dateOf(int64(i) + 1).After(to) })))
	}
	if !f.scans() || lo > hi {
		return view{lo: lo, hi: hi}
	}
	key := f.key(lo, hi)
	s.mu.Lock()
	for _, c := range s.cache {
		if c.key == key {
			s.mu.Unlock()
			return view{ids: c.ids}
		}
	}
	s.mu.Unlock()
	ids := []int64{}
	for id := hi; id >= lo; id-- {
		if f.keep(attrsOf(id)) {
			ids = append(ids, id)
		}
	}
	s.mu.Lock()
	s.cache = append(s.cache, cached{key: key, ids: ids})
	if len(s.cache) > 8 {
		s.cache = s.cache[1:]
	}
	s.mu.Unlock()
	return view{ids: ids}
}

func (f filter) scans() bool {
	return f.actor != nil || f.user != nil || f.app != nil || f.bu != nil || f.project != nil ||
		f.appDesc != nil || f.buDesc != nil || f.projectDesc != nil || f.name != nil ||
		f.standard != nil || f.standardDesc != nil
}

func (f filter) key(lo, hi int64) string {
	var b strings.Builder
	p64 := func(p *int64) {
		if p == nil {
			b.WriteString("-,")
		} else {
			b.WriteString(strconv.FormatInt(*p, 10) + ",")
		}
	}
	pi := func(p *int) {
		if p == nil {
			b.WriteString("-,")
		} else {
			b.WriteString(strconv.Itoa(*p) + ",")
		}
	}
	for _, p := range []*int64{f.actor, f.user, f.app, f.bu, f.project, f.appDesc, f.buDesc, f.projectDesc} {
		p64(p)
	}
	pi(f.name)
	pi(f.standard)
	pi(f.standardDesc)
	b.WriteString(strconv.FormatInt(lo, 10) + ":" + strconv.FormatInt(hi, 10))
	return b.String()
}

func (f filter) keep(a attrs) bool {
	eq := func(p *int64, v int64) bool { return p == nil || (v != 0 && *p == v) }
	switch {
	case !eq(f.actor, a.actor), !eq(f.user, a.user), !eq(f.app, a.app), !eq(f.bu, a.bu),
		!eq(f.project, a.project), !eq(f.appDesc, a.app), !eq(f.buDesc, a.bu), !eq(f.projectDesc, a.project):
		return false
	case f.name != nil && *f.name != a.kind:
		return false
	case f.standard != nil && (a.standard < 0 || *f.standard != a.standard):
		return false
	case f.standardDesc != nil && (a.standard < 0 || *f.standardDesc != a.standard):
		return false
	}
	return true
}
