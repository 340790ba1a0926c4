package sdelementstest

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/activitysdk/activity-go/internal/fakeserver"
)

// serve routes a request the way the instance does: URL first (404), then
// content negotiation (406), authentication (401), method (405).
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	segs := fakeserver.Segments(r)
	if segs == nil || len(segs) < len(s.prefix) {
		writeDetail(w, http.StatusNotFound, "Not found.")
		return
	}
	if _, ok := fakeserver.Match(segs[:len(s.prefix)], s.prefix...); !ok {
		writeDetail(w, http.StatusNotFound, "Not found.")
		return
	}
	segs = segs[len(s.prefix):]
	var id string
	_, isList := fakeserver.Match(segs, "api", "v2", "activities")
	vals, isGet := fakeserver.Match(segs, "api", "v2", "activities", "{}")
	if !isList && !isGet {
		writeDetail(w, http.StatusNotFound, "Not found.")
		return
	}
	if isGet {
		id = vals[0]
	}
	if !strings.HasSuffix(r.URL.EscapedPath(), "/") {
		// Django's APPEND_SLASH: a permanent redirect to the path with "/".
		target := r.URL.EscapedPath() + "/"
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, target, http.StatusMovedPermanently)
		return
	}
	if !acceptsJSON(r.Header.Values("Accept")) {
		writeDetail(w, http.StatusNotAcceptable, "Could not satisfy the request Accept header.")
		return
	}
	if !s.authorized(w, r) {
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD, OPTIONS")
		writeDetail(w, http.StatusMethodNotAllowed, fmt.Sprintf("Method %q not allowed.", r.Method))
		return
	}
	if isGet {
		s.get(w, r, id)
		return
	}
	s.list(w, r)
}

func acceptsJSON(values []string) bool {
	if len(values) == 0 {
		return true
	}
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			mt, _, _ := strings.Cut(strings.TrimSpace(part), ";")
			switch strings.ToLower(strings.TrimSpace(mt)) {
			case "application/json", "application/*", "*/*":
				return true
			}
		}
	}
	return false
}

// authorized checks "Authorization: Token <t>" like DRF's
// TokenAuthentication and writes the 401 when it fails.
func (s *Server) authorized(w http.ResponseWriter, r *http.Request) bool {
	h := r.Header.Get("Authorization")
	scheme, tok, _ := strings.Cut(h, " ")
	var detail string
	switch {
	case !strings.EqualFold(scheme, "Token"):
		detail = "Authentication credentials were not provided."
	case strings.TrimSpace(tok) == "":
		detail = "Invalid token header. No credentials provided."
	case strings.Contains(strings.TrimSpace(tok), " "):
		detail = "Invalid token header. Token string should not contain spaces."
	case !fakeserver.Equal(tok, s.token):
		detail = "Invalid token."
	default:
		return true
	}
	w.Header().Set("WWW-Authenticate", "Token")
	if s.htmlAuth {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = fmt.Fprintf(w, "<!DOCTYPE html>\n<html><head><title>401 Unauthorized</title></head>\n"+
			"<body><h1>Unauthorized</h1><p>%s</p></body></html>\n", detail)
		return false
	}
	writeDetail(w, http.StatusUnauthorized, detail)
	return false
}

func (s *Server) get(w http.ResponseWriter, r *http.Request, raw string) {
	sh, errs := parseShape(r.URL.Query())
	if len(errs) > 0 {
		fakeserver.WriteJSON(w, http.StatusBadRequest, errs)
		return
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id < 1 || id > s.Len() {
		writeDetail(w, http.StatusNotFound, "Not found.")
		return
	}
	b := sh.apply(s.build(id).appendJSON(nil))
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}

func appendLink(b []byte, ok bool, link string) []byte {
	if !ok {
		return append(b, "null"...)
	}
	return appendString(b, link)
}

func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f, fieldErrs := s.parseFilter(q)
	sh, shapeErrs := parseShape(q)
	for k, v := range shapeErrs {
		if fieldErrs == nil {
			fieldErrs = map[string][]string{}
		}
		fieldErrs[k] = v
	}
	if len(fieldErrs) > 0 {
		fakeserver.WriteJSON(w, http.StatusBadRequest, fieldErrs)
		return
	}
	v := s.match(f)
	size := s.defaultPageSize
	if ps, err := strconv.Atoi(q.Get("page_size")); err == nil && ps > 0 {
		size = ps
		if s.maxPageSize > 0 {
			size = min(ps, s.maxPageSize)
		}
	}
	page := int64(1)
	if raw := q.Get("page"); raw != "" {
		p, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || p < 1 {
			writeDetail(w, http.StatusNotFound, "Invalid page.")
			return
		}
		page = p
	}
	total := v.len()
	pages := max((total+int64(size)-1)/int64(size), 1)
	if page > pages {
		writeDetail(w, http.StatusNotFound, "Invalid page.")
		return
	}
	start := (page - 1) * int64(size)
	end := min(start+int64(size), total)
	results := make([]Activity, 0, end-start)
	for k := start; k < end; k++ {
		results = append(results, s.build(v.at(k)))
	}
	b := make([]byte, 0, 256*len(results)+256)
	b = append(b, '{')
	if !s.bare {
		b = append(b, `"count":`...)
		b = strconv.AppendInt(b, total, 10)
		b = append(b, `,"next":`...)
		b = appendLink(b, page < pages, s.link(r, q, page+1))
		b = append(b, `,"previous":`...)
		b = appendLink(b, page > 1, s.link(r, q, page-1))
		b = append(b, ',')
	}
	b = append(b, `"results":[`...)
	for i, a := range results {
		if i > 0 {
			b = append(b, ',')
		}
		if sh.empty() {
			b = a.appendJSON(b)
		} else {
			b = append(b, sh.apply(a.appendJSON(nil))...)
		}
	}
	b = append(b, "]}"...)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}

// link is the request's absolute URL with page set to p (removed for page 1),
// as DRF's PageNumberPagination builds next and previous.
func (s *Server) link(r *http.Request, q url.Values, p int64) string {
	c := url.Values{}
	for k, v := range q {
		c[k] = v
	}
	if p == 1 {
		c.Del("page")
	} else {
		c.Set("page", strconv.FormatInt(p, 10))
	}
	base := s.linkBase
	if base == "" {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		base = scheme + "://" + r.Host
	}
	l := base + r.URL.EscapedPath()
	if enc := c.Encode(); enc != "" {
		l += "?" + enc
	}
	return l
}
