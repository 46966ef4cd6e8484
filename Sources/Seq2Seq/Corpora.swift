import TensorCore

/// The seed book's two seq2seq tasks (Saitoh 2, §7.2 and §8.3), from our own seeded generators.
/// Each line is `question_answer`, both sides padded with spaces to a fixed width; questions are
/// distinct within a file (for addition, distinct up to the order of the terms).
public enum Seq2SeqCorpus: String, Sendable, CaseIterable {
    /// `a+b` with a, b in 0...999, question padded to 7, answer to 4: `16+75  _91  `.
    ///
    /// Drawn as the book's `addition.txt` was (it comes from the Keras `addition_rnn` example):
    /// each term gets a digit count from 1...3 uniformly, then that many random digits (so
    /// `6+2` and `75+22` are as common as in the book, not the 1% and 8% of a, b uniform in
    /// 0...999), and a pair is used once in either order (`a+b` or `b+a`).
    case addition
    /// A date 1970-01-01...2029-12-31 in one of 13 human formats padded to 29, answer `YYYY-MM-DD`.
    case dates

    /// The default number of lines.
    public static let defaultLineCount = 50_000

    /// The most distinct lines the task has (the generator stops there).
    public var distinctQuestions: Int {
        switch self {
        case .addition: return 1000 * 1001 / 2
        case .dates: return DateFormats.dayCount * DateFormats.formatCount
        }
    }

    /// `count` distinct lines (at most ``distinctQuestions``) drawn with `SplitMix64(seed:)`, without newlines.
    public func lines(count: Int, seed: UInt64) -> [String] {
        let count = min(max(count, 0), distinctQuestions)
        var generator = SplitMix64(seed: seed)
        var seen = Set<String>()
        var lines: [String] = []
        lines.reserveCapacity(count)
        while lines.count < count {
            let (question, answer, key): (String, String, String)
            switch self {
            case .addition:
                let a = Self.additionTerm(&generator), b = Self.additionTerm(&generator)
                (question, answer, key) = ("\(a)+\(b)", "\(a + b)", "\(min(a, b))+\(max(a, b))")
            case .dates:
                let day = generator.nextIndex(below: DateFormats.dayCount)
                let format = generator.nextIndex(below: DateFormats.formatCount)
                (question, answer) = DateFormats.example(day: day, format: format)
                key = question
            }
            guard seen.insert(key).inserted else { continue }
            lines.append(Self.padded(question, to: questionWidth) + "_" + Self.padded(answer, to: answerWidth))
        }
        return lines
    }

    /// A term of the addition task: 1...3 digits (uniformly), each digit uniform in 0...9.
    static func additionTerm(_ generator: inout SplitMix64) -> Int {
        var value = 0
        for _ in 0...generator.nextIndex(below: 3) { value = value * 10 + generator.nextIndex(below: 10) }
        return value
    }

    public var questionWidth: Int { self == .addition ? 7 : 29 }
    public var answerWidth: Int { self == .addition ? 4 : 10 }

    static func padded(_ text: String, to width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}

/// Calendar arithmetic and the 13 formats of the dates task.
enum DateFormats {
    /// Days from 1970-01-01 to 2029-12-31 inclusive.
    static let dayCount = daysFromCivil(2030, 1, 1)
    static let formatCount = 13
    static let months = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
                         "october", "november", "december"]
    static let weekdays = ["thursday", "friday", "saturday", "sunday", "monday", "tuesday", "wednesday"]  // 1970-01-01 was a Thursday

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `days` after 1970-01-01 (H. Hinnant's civil_from_days).
    static func civil(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// (question, answer) for day `day` (since 1970-01-01) in format `format` (0..<13).
    static func example(day: Int, format: Int) -> (String, String) {
        let (y, m, d) = civil(day)
        let month = months[m - 1], weekday = weekdays[day % 7]
        let shortMonth = String(month.prefix(3))
        func capitalized(_ word: String) -> String { word.prefix(1).uppercased() + word.dropFirst() }
        let question: String
        switch format {
        case 0: question = "\(month) \(d), \(y)"
        case 1: question = "\(capitalized(month)) \(d), \(y)"
        case 2: question = "\(month.uppercased()) \(d), \(y)"
        case 3: question = "\(capitalized(shortMonth)) \(d), \(y)"
        case 4: question = "\(shortMonth.uppercased()) \(d), \(y)"
        case 5: question = "\(m)/\(d)/\(two(y % 100))"
        case 6: question = "\(two(m))/\(two(d))/\(y)"
        case 7: question = "\(capitalized(weekday)), \(capitalized(month)) \(d), \(y)"
        case 8: question = "\(weekday.uppercased()), \(month.uppercased()) \(d), \(y)"
        case 9: question = "\(weekday), \(month) \(d), \(y)"
        case 10: question = "\(d) \(capitalized(month)) \(y)"
        case 11: question = "\(y)-\(two(m))-\(two(d))"
        default: question = "\(two(d)).\(two(m)).\(y)"
        }
        return (question, "\(y)-\(two(m))-\(two(d))")
    }
}

extension Seq2SeqCorpus {
    /// The question of the dates task for day `day` after 1970-01-01 in format `format` (0..<13,
    /// the order: `september 27, 1994` ... `27.09.1994`).
    public static func dateQuestion(day: Int, format: Int) -> String { DateFormats.example(day: day, format: format).0 }
}
