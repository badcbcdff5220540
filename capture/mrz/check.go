package mrz

// charValue is the ICAO 9303 numeric value of an MRZ character: digits are
// themselves, A–Z are 10–35 and the filler '<' is 0. ok is false for any
// other byte.
func charValue(c byte) (v int, ok bool) {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0'), true
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10, true
	case c == '<':
		return 0, true
	}
	return 0, false
}

var weights = [3]int{7, 3, 1}

// CheckDigit computes the ICAO 9303 check digit of s (weights 7, 3, 1
// repeating, sum modulo 10). ok is false when s holds a character outside
// A–Z, 0–9 and '<'.
func CheckDigit(s string) (digit byte, ok bool) {
	sum := 0
	for i := 0; i < len(s); i++ {
		v, ok := charValue(s[i])
		if !ok {
			return 0, false
		}
		sum += v * weights[i%3]
	}
	return byte('0' + sum%10), true
}

// digitOK reports whether the check digit character d matches data. A filler
// '<' counts as 0, which ICAO allows for an empty optional field.
func digitOK(data string, d byte) bool {
	want, ok := CheckDigit(data)
	if !ok {
		return false
	}
	if d == '<' {
		d = '0'
	}
	return d == want
}
