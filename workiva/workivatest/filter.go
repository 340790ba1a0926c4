package workivatest

import (
	"fmt"
	"strings"
	"time"
)

// The fake's $filter: Workiva's documented grammar. action.alias, action.id,
// performer.id, target.id with eq and in; activityDateTime with eq, lt, gt,
// le, ge; "and" binds tighter than "or"; parentheses group. Strings are
// single-quoted ('' is a quote); times are RFC 3339, quoted or not.

type pred interface {
	match(s *Server, i int) bool
}

type andPred []pred
type orPred []pred

func (p andPred) match(s *Server, i int) bool {
	for _, q := range p {
		if !q.match(s, i) {
			return false
		}
	}
	return true
}

func (p orPred) match(s *Server, i int) bool {
	for _, q := range p {
		if q.match(s, i) {
			return true
		}
	}
	return false
}

type inPred struct {
	field  string
	values map[string]bool
}

func (p inPred) match(_ *Server, i int) bool {
	switch p.field {
	case "action.alias":
		return p.values[actionOf(i).Alias]
	case "action.id":
		return p.values[actionOf(i).ID]
	case "performer.id":
		return p.values[performerOf(i).id]
	case "target.id":
		if p.values[userOf(i).id] {
			return true
		}
		w := workspaceOf(i)
		return w < 3 && p.values[workspaces[w].id]
	}
	return false
}

type timePred struct {
	op string
	t  time.Time
}

func (p timePred) match(s *Server, i int) bool {
	at := s.timeOf(i)
	switch p.op {
	case "eq":
		return at.Equal(p.t)
	case "lt":
		return at.Before(p.t)
	case "gt":
		return at.After(p.t)
	case "le":
		return !at.After(p.t)
	case "ge":
		return !at.Before(p.t)
	}
	return false
}

type filterError struct{ target, msg string }

func (e *filterError) Error() string { return e.msg }

type tok struct {
	s      string
	quoted bool
}

func lexFilter(src string) ([]tok, error) {
	var out []tok
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == ' ' || c == '\t':
			i++
		case c == '(' || c == ')' || c == ',':
			out = append(out, tok{s: string(c)})
			i++
		case c == '\'':
			var b strings.Builder
			i++
			for {
				if i >= len(src) {
					return nil, &filterError{"$filter", "unterminated string literal"}
				}
				if src[i] == '\'' {
					if i+1 < len(src) && src[i+1] == '\'' {
						b.WriteByte('\'')
						i += 2
						continue
					}
					i++
					break
				}
				b.WriteByte(src[i])
				i++
			}
			out = append(out, tok{s: b.String(), quoted: true})
		default:
			j := i
			for j < len(src) && !strings.ContainsRune(" \t(),'", rune(src[j])) {
				j++
			}
			out = append(out, tok{s: src[i:j]})
			i = j
		}
	}
	return out, nil
}

type parser struct {
	toks []tok
	pos  int
}

func (p *parser) peek() (tok, bool) {
	if p.pos >= len(p.toks) {
		return tok{}, false
	}
	return p.toks[p.pos], true
}

func (p *parser) keyword(k string) bool {
	t, ok := p.peek()
	if ok && !t.quoted && strings.EqualFold(t.s, k) {
		p.pos++
		return true
	}
	return false
}

func parseFilter(src string) (pred, error) {
	toks, err := lexFilter(src)
	if err != nil {
		return nil, err
	}
	if len(toks) == 0 {
		return nil, &filterError{"$filter", "empty filter"}
	}
	p := &parser{toks: toks}
	e, err := p.or()
	if err != nil {
		return nil, err
	}
	if t, ok := p.peek(); ok {
		return nil, &filterError{"$filter", fmt.Sprintf("unexpected %q", t.s)}
	}
	return e, nil
}

func (p *parser) or() (pred, error) {
	var parts orPred
	for {
		a, err := p.and()
		if err != nil {
			return nil, err
		}
		parts = append(parts, a)
		if !p.keyword("or") {
			break
		}
	}
	if len(parts) == 1 {
		return parts[0], nil
	}
	return parts, nil
}

func (p *parser) and() (pred, error) {
	var parts andPred
	for {
		a, err := p.primary()
		if err != nil {
			return nil, err
		}
		parts = append(parts, a)
		if !p.keyword("and") {
			break
		}
	}
	if len(parts) == 1 {
		return parts[0], nil
	}
	return parts, nil
}

func (p *parser) primary() (pred, error) {
	if p.keyword("(") {
		e, err := p.or()
		if err != nil {
			return nil, err
		}
		if !p.keyword(")") {
			return nil, &filterError{"$filter", "missing )"}
		}
		return e, nil
	}
	ft, ok := p.peek()
	if !ok || ft.quoted {
		return nil, &filterError{"$filter", "expected a field name"}
	}
	p.pos++
	field := ft.s
	opt, ok := p.peek()
	if !ok || opt.quoted {
		return nil, &filterError{field, "expected an operator after " + field}
	}
	p.pos++
	op := strings.ToLower(opt.s)
	switch field {
	case "action.alias", "action.id", "performer.id", "target.id":
		switch op {
		case "eq":
			v, err := p.value(field, true)
			if err != nil {
				return nil, err
			}
			return inPred{field, map[string]bool{v: true}}, nil
		case "in":
			if !p.keyword("(") {
				return nil, &filterError{field, "in needs a parenthesized list"}
			}
			vals := map[string]bool{}
			for {
				v, err := p.value(field, true)
				if err != nil {
					return nil, err
				}
				vals[v] = true
				if p.keyword(")") {
					break
				}
				if !p.keyword(",") {
					return nil, &filterError{field, "expected , or ) in the in list"}
				}
			}
			return inPred{field, vals}, nil
		}
		return nil, &filterError{field, fmt.Sprintf("operator %q is not supported for %s (use eq or in)", opt.s, field)}
	case "activityDateTime":
		switch op {
		case "eq", "lt", "gt", "le", "ge":
			v, err := p.value(field, false)
			if err != nil {
				return nil, err
			}
			t, err := time.Parse(time.RFC3339Nano, v)
			if err != nil {
				return nil, &filterError{field, fmt.Sprintf("%q is not an RFC 3339 date-time", v)}
			}
			return timePred{op, t}, nil
		}
		return nil, &filterError{field, fmt.Sprintf("operator %q is not supported for activityDateTime (use eq, lt, gt, le or ge)", opt.s)}
	}
	return nil, &filterError{field, fmt.Sprintf("filtering on %q is not supported", field)}
}

func (p *parser) value(field string, mustQuote bool) (string, error) {
	t, ok := p.peek()
	if !ok || (!t.quoted && (t.s == "(" || t.s == ")" || t.s == ",")) {
		return "", &filterError{field, "expected a value for " + field}
	}
	if mustQuote && !t.quoted {
		return "", &filterError{field, fmt.Sprintf("string values must be single-quoted (got %s)", t.s)}
	}
	p.pos++
	return t.s, nil
}
