package org.convene.pdf;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/** Manifesto texts in every script we promise, and requests built from them, for tests and the benchmark. */
public final class Samples {
    private Samples() {}

    /** A script, its BCP 47 tag, a manifesto in it, and words that must survive text extraction. */
    public record Script(String name, String language, String source, List<String> words) {}

    public static final Script LATIN = new Script("latin", "en", """
            # Manifesto of the Migrant Assembly
            ## Preamble
            We, who came from **many places**, speak here in our own words: *Zoë, François, Łucja, Nguyễn, \
            Søren, Dvořák, İlkay, Đorđe, Jürgen, Ñusta, Ștefan, Þóra* and thousands more.

            We demand:
            - the right to stay, to work and to vote where we live;
            - schools that teach *every* language spoken in them.
            1. Housing for all.
            2. An end to detention.
            """, List.of("Manifesto", "François", "Łucja", "Nguyễn", "Dvořák", "Đorđe", "Ștefan", "Þóra", "detention"));

    public static final Script GREEK = new Script("greek", "el", """
            # Μανιφέστο της Συνέλευσης Μεταναστών
            Εμείς, που ήρθαμε από πολλούς τόπους, μιλάμε εδώ με τα **δικά μας** λόγια.

            Ζητάμε το δικαίωμα να μείνουμε, να εργαζόμαστε και να ψηφίζουμε.
            """, List.of("Μανιφέστο", "Συνέλευσης", "Μεταναστών", "τόπους", "δικαίωμα", "ψηφίζουμε"));

    public static final Script CYRILLIC = new Script("cyrillic", "ru", """
            # Манифест ассамблеи мигрантов
            Мы, приехавшие из многих мест, говорим здесь **своими** словами.

            Мы требуем права остаться, работать и голосовать там, где живём. Українською: ми вимагаємо її.
            """, List.of("Манифест", "ассамблеи", "мигрантов", "словами", "голосовать", "живём", "Українською", "її"));

    public static final Script ARABIC = new Script("arabic", "ar", """
            # بيان جمعية المهاجرين
            ## الديباجة
            نحن الذين جئنا من أماكن كثيرة نتكلم هنا **بكلماتنا**. وقّع 250 شخصًا على هذا النص في عام 2024، ومنهم Maria Lopez.

            - الحق في البقاء والعمل والتصويت حيث نعيش؛
            - مدارس تعلّم كل لغة يُتكلم بها فيها (بلا استثناء).
            """, List.of("بيان", "جمعية", "المهاجرين", "الديباجة", "أماكن", "كثيرة", "250", "2024", "Maria", "Lopez",
                    "مدارس"));

    public static final Script PERSIAN = new Script("persian", "fa", """
            # بیانیهٔ مجمع مهاجران
            ما که از جاهای بسیار آمده‌ایم، اینجا با واژه‌های خودمان سخن می‌گوییم. ۱۲۰ نفر این متن را امضا کرده‌اند.

            - حق ماندن، کار کردن و رأی دادن در جایی که زندگی می‌کنیم.
            """, List.of("مجمع", "مهاجران", "بسیار", "اینجا", "خودمان", "سخن", "۱۲۰", "نفر", "زندگی"));

    public static final Script DEVANAGARI = new Script("devanagari", "hi", """
            # प्रवासी सभा का घोषणापत्र
            हम, जो कई जगहों से आए हैं, यहाँ अपने **शब्दों** में बोलते हैं।

            हम रहने, काम करने और वोट देने का अधिकार माँगते हैं: क्षत्रिय, द्वार, श्री, प्रत्येक, स्थान, किताब।
            """, List.of());

    public static final Script CHINESE = new Script("chinese", "zh", """
            # 移民大会宣言
            我们来自四面八方，在这里用**我们自己的话**发言。

            我们要求在我们生活的地方居住、工作和投票的权利。每一种语言都应当在学校里被教授。
            """, List.of("移民大会宣言", "四面八方", "我们自己的话", "投票的权利"));

    /** One manifesto mixing every script, some of them inside one sentence. */
    public static final Script MIXED = new Script("mixed", "en", """
            # One assembly, many languages
            Our greeting, in our languages: مرحبا بكم، Добро пожаловать, Καλώς ήρθατε, स्वागत है, 欢迎, Bienvenue, خوش آمدید.

            ## العربية
            نحن هنا منذ 1998 ونطالب بحقوقنا كاملة.

            ## 中文
            我们在这里。

            ## हिन्दी
            हम यहाँ हैं।

            A line that stays a line,
            سطر يبقى سطرا،
            一行还是一行。

            بدأنا بالعربية, then English follows, 然后是中文。
            """, List.of("A line that stays a line", "greeting", "مرحبا", "Добро", "пожаловать", "Καλώς", "ήρθατε", "欢迎", "Bienvenue", "1998",
                    "我们在这里"));

    /** {@link #LATIN} translated block by block, for the bilingual edition. */
    public static final Script ARABIC_TRANSLATION = new Script("arabic-translation", "ar", """
            # بيان جمعية المهاجرين
            ## الديباجة
            نحن، القادمين من **أماكن كثيرة**، نتكلم هنا بكلماتنا: *Zoë وFrançois وŁucja* وآلاف غيرهم.

            نطالب بما يلي:
            - الحق في البقاء والعمل والتصويت حيث نعيش؛
            - مدارس تعلّم *كل* لغة يُتكلم بها فيها.
            1. السكن للجميع.
            2. إنهاء الاحتجاز.
            """, List.of("بيان", "الديباجة", "القادمين", "بكلماتنا", "Zoë", "François", "نطالب", "السكن", "للجميع",
                    "الاحتجاز"));

    public static final List<Script> ALL = List.of(LATIN, GREEK, CYRILLIC, ARABIC, PERSIAN, DEVANAGARI, CHINESE, MIXED);

    public static VersionInfo version(String text) {
        return new VersionInfo(3, "Geneva reading", Instant.parse("2026-03-12T09:30:00Z"), sha256(text));
    }

    public static PdfRequest request(Script script, Edition edition) {
        PdfRequest req = PdfRequest.of(titleOf(script.source()), script.language(), ManifestoText.parse(script.source()),
                version(script.source()), Edition.PRINT, PaperSize.A4)
                .withSignUrl("https://convene.example.org/m/7f3a9c/sign")
                .withCredits(List.of(new Credit("Amina Haddad", "drafting"), new Credit("Łukasz Nowak", "translation"),
                        new Credit("مريم أحمدي", "ترجمة")));
        if (edition == Edition.BILINGUAL) {
            return req.withTranslation(ManifestoText.parse(ARABIC_TRANSLATION.source()), "ar");
        }
        return new PdfRequest(req.title(), req.language(), req.text(), null, null, req.version(), req.credits(),
                req.signUrl(), edition, req.paper(), null, null);
    }

    static String titleOf(String source) {
        return source.lines().filter(l -> l.startsWith("# ")).findFirst().orElse("# Manifesto").substring(2);
    }

    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Generated signers, produced one at a time. Every {@code hiddenEvery}-th signer chose to stay
     * hidden: counted per country, never handed out by {@link SignatureSource#named()}.
     */
    public static SignatureSource signers(int count, int hiddenEvery) {
        String[] first = {"Amina", "José", "Łucja", "Nguyễn Văn", "Søren", "Мария", "Γιώργος", "مريم", "فاطمه", "राहुल",
            "李娜", "Olusegun", "Zoë", "Đorđe", "Ayşe"};
        String[] last = {"Haddad", "Fernández", "Kowalska", "An", "Østergaard", "Иванова", "Παπαδόπουλος", "الحسيني", "رضایی",
            "शर्मा", "王", "Adeyemi", "Dubois", "Petrović", "Yılmaz"};
        String[] cities = {"Geneva", "Marseille", "Kraków", "Hà Nội", "Aarhus", "Москва", "Αθήνα", "بيروت", "تهران", "दिल्ली",
            "上海", "Lagos", "", "Beograd", "İzmir"};
        String[] countries = {"CH", "FR", "PL", "VN", "DK", "RU", "GR", "LB", "IR", "IN", "CN", "NG", "BE", "RS", "TR"};
        Map<String, Long> counts = new LinkedHashMap<>();
        long hidden = 0;
        for (int i = 0; i < count; i++) {
            counts.merge(countries[i % countries.length], 1L, Long::sum);
            if (isHidden(i, hiddenEvery)) {
                hidden++;
            }
        }
        long hiddenCount = hidden;
        return new SignatureSource() {
            @Override
            public Map<String, Long> countsByCountry() {
                return counts;
            }

            @Override
            public long hiddenCount() {
                return hiddenCount;
            }

            @Override
            public Iterator<SignerLine> named() {
                return new Iterator<>() {
                    private int i = advance(0);

                    private int advance(int from) {
                        int k = from;
                        while (k < count && isHidden(k, hiddenEvery)) {
                            k++;
                        }
                        return k;
                    }

                    @Override
                    public boolean hasNext() {
                        return i < count;
                    }

                    @Override
                    public SignerLine next() {
                        if (i >= count) {
                            throw new NoSuchElementException();
                        }
                        int k = i;
                        i = advance(i + 1);
                        int c = k % countries.length;
                        String name = k % 7 == 3 ? initials(first[(k / 3) % first.length], last[c])
                                : first[(k / 3) % first.length] + " " + last[c];
                        return new SignerLine(name + (k % 11 == 0 ? "" : " " + (k % 997)), cities[c], countries[c]);
                    }
                };
            }
        };
    }

    /** The name a hidden signer would have had: tests check it appears nowhere. */
    public static String hiddenName(int i) {
        return "Hidden Person " + i;
    }

    static boolean isHidden(int i, int every) {
        return every > 0 && i % every == every - 1;
    }

    private static String initials(String first, String last) {
        return first.codePoints().limit(1).collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                + ". " + last.codePoints().limit(1).collect(StringBuilder::new, StringBuilder::appendCodePoint,
                        StringBuilder::append) + ".";
    }
}
