package core

import (
	"math/rand/v2"
	"time"
)

// Backoff returns a full-jitter exponential wait for the given retry number
// (0 for the first retry): uniform in [min, min(max, min*2^retry)].
func Backoff(minWait, maxWait time.Duration, retry int) time.Duration {
	return backoff(minWait, maxWait, retry, rand.Int64N)
}

// backoff is Backoff drawing its jitter from rnd, uniform in [0, n).
func backoff(minWait, maxWait time.Duration, retry int, rnd func(n int64) int64) time.Duration {
	if minWait <= 0 {
		minWait = time.Millisecond
	}
	if maxWait < minWait {
		maxWait = minWait
	}
	ceil := minWait
	for i := 0; i < retry && ceil < maxWait; i++ {
		ceil *= 2
	}
	if ceil > maxWait || ceil <= 0 {
		ceil = maxWait
	}
	span := int64(ceil - minWait)
	if span <= 0 {
		return minWait
	}
	return minWait + time.Duration(rnd(span+1))
}
