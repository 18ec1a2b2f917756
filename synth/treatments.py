"""The catalogue of disputed treatments: names, DWC category, guidelines and rationale material."""
from __future__ import annotations

from dataclasses import dataclass

from synth.citations import Source, acoem, cpmtg, odg, other

SPINE = ("neck", "low back", "upper back")
JOINTS = ("shoulder", "knee", "wrist", "elbow", "hip", "ankle", "hand", "foot")
IMAGING_PARTS = SPINE + ("shoulder", "knee", "wrist", "hip", "ankle", "elbow")
PILLS = (30, 60, 90, 120, 180, 240)
VISITS = (6, 8, 10, 12, 18, 24)


@dataclass(frozen=True)
class Treatment:
    """`name` may hold {part}: the letter's words for one body part in `parts`."""

    name: str
    category: str
    family: str  # key into FAMILY_TEXT
    sources: tuple[Source, ...]
    parts: tuple[str, ...] = ()  # body parts it can target; empty = not tied to one
    quantities: tuple[int, ...] = ()  # plausible quantities; empty = never quantified
    unit: str = ""  # "pills" | "sessions" | "" : how prose layouts write the quantity
    specialties: tuple[str, ...] = ()  # reviewer specialty keys that fit this item best


P, R, D = "Pharmaceuticals", "Rehabilitation", "Diagnostic testing"
OPIOIDS = (cpmtg("Opioids", "74-96"), cpmtg("Criteria for use of opioids", "76-80"),
           odg("Opioids", "Pain (Chronic)"))
RELAXANTS = (cpmtg("Muscle relaxants (for pain)", "63-66"), odg("Muscle relaxants", "Pain (Chronic)"))
TOPICALS = (cpmtg("Topical Analgesics", "111-113"), odg("Topical analgesics", "Pain (Chronic)"))
NSAIDS = (cpmtg("NSAIDs (non-steroidal anti-inflammatory drugs)", "67-73"),
          cpmtg("Anti-inflammatory medications", "22"))

CATALOGUE: tuple[Treatment, ...] = (
    Treatment("Norco 10/325mg", P, "opioid", OPIOIDS, quantities=PILLS, unit="pills"),
    Treatment("Hydrocodone/APAP 10/325mg", P, "opioid", OPIOIDS, quantities=PILLS, unit="pills"),
    Treatment("Oxycodone 15mg", P, "opioid", OPIOIDS, quantities=PILLS, unit="pills"),
    Treatment("Tramadol ER 150mg", P, "opioid", OPIOIDS + (cpmtg("Tramadol (Ultram)", "93-94"),), quantities=PILLS, unit="pills"),
    Treatment("Cyclobenzaprine 7.5mg", P, "relaxant", RELAXANTS + (cpmtg("Cyclobenzaprine (Flexeril)", "41-42"),), quantities=PILLS, unit="pills"),
    Treatment("Soma 350mg", P, "relaxant", RELAXANTS + (cpmtg("Carisoprodol (Soma)", "29"),), quantities=PILLS, unit="pills"),
    Treatment("Lidoderm 5% patch", P, "topical", TOPICALS + (cpmtg("Lidoderm (lidocaine patch)", "56-57"),), quantities=(30, 60, 90), unit="pills"),
    Treatment("Compounded topical cream (Flurbiprofen 20%/Lidocaine 5%)", P, "topical", TOPICALS),
    Treatment("Zolpidem 10mg", P, "sleep", (odg("Zolpidem (Ambien)", "Pain (Chronic)"), odg("Insomnia treatment", "Mental Illness & Stress")), quantities=(30, 60), unit="pills"),
    Treatment("Omeprazole 20mg", P, "ppi", (cpmtg("NSAIDs, GI symptoms & cardiovascular risk", "68-69"),), quantities=(30, 60, 90), unit="pills"),
    Treatment("Naproxen sodium 550mg", P, "nsaid", NSAIDS, quantities=(60, 90, 120), unit="pills"),
    Treatment("Gabapentin 600mg", P, "neuropathic", (cpmtg("Antiepilepsy drugs (AEDs)", "16-22"), cpmtg("Gabapentin (Neurontin)", "18-19")), quantities=PILLS, unit="pills"),
    Treatment("Duloxetine 60mg", P, "neuropathic", (cpmtg("Antidepressants for chronic pain", "13-16"), cpmtg("Duloxetine (Cymbalta)", "43-44")), quantities=(30, 60), unit="pills"),
    Treatment("Physical therapy 2x week x 6 weeks for the {part}", R, "therapy", (cpmtg("Physical medicine", "98-99"), acoem()), parts=SPINE + JOINTS, specialties=("pmr",)),
    Treatment("Physical therapy for the {part}", R, "therapy", (cpmtg("Physical medicine", "98-99"), other("Postsurgical Treatment Guidelines")), parts=SPINE + JOINTS, quantities=VISITS, unit="sessions", specialties=("pmr",)),
    Treatment("Chiropractic treatment for the {part}", R, "chiro", (cpmtg("Manual therapy & manipulation", "58-59"),), parts=SPINE, quantities=(6, 8, 12), unit="sessions", specialties=("chiro",)),
    Treatment("Acupuncture", R, "acupuncture", (other("Acupuncture Medical Treatment Guidelines"), other("MTUS Acupuncture Medical Treatment Guidelines, 9792.24.1")), quantities=(6, 8, 12), unit="sessions", specialties=("acu", "pmr")),
    Treatment("Myofascial therapy for the {part}", R, "massage", (cpmtg("Massage therapy", "60"),), parts=SPINE, quantities=(4, 6, 8), unit="sessions"),
    Treatment("Aquatic therapy", R, "therapy", (cpmtg("Aquatic therapy", "22"),), quantities=(8, 12), unit="sessions", specialties=("pmr",)),
    Treatment("Work conditioning", R, "therapy", (cpmtg("Work conditioning, work hardening", "125-126"),), quantities=(10, 12), unit="sessions"),
    Treatment("MRI of the {part}", D, "imaging", (acoem("Special Studies"), odg("Magnetic resonance imaging (MRI)")), parts=IMAGING_PARTS, quantities=(1,), specialties=("ortho",)),
    Treatment("X-rays of the {part}", D, "imaging", (acoem("Special Studies"), odg("Radiography")), parts=IMAGING_PARTS, quantities=(1,)),
    Treatment("EMG/NCV of the bilateral upper extremities", D, "electro", (acoem("Special Studies", "178"), odg("Electrodiagnostic studies", "Neck and Upper Back (Acute & Chronic)")), parts=("neck", "wrist", "hand"), specialties=("neuro", "pmr")),
    Treatment("EMG/NCS of the bilateral lower extremities", D, "electro", (acoem("Special Studies", "303"), odg("EMGs (electromyography)", "Low Back - Lumbar & Thoracic (Acute & Chronic)")), parts=("low back",), specialties=("neuro", "pmr")),
    Treatment("Urine drug screen", D, "uds", (cpmtg("Drug testing", "43"), odg("Urine drug testing (UDT)", "Pain (Chronic)")), quantities=(1,)),
    Treatment("TENS unit", "DMEPOS", "tens", (cpmtg("Transcutaneous electrotherapy", "114-116"), cpmtg("TENS, chronic pain", "114-116"))),
    Treatment("Interferential unit", "DMEPOS", "tens", (cpmtg("Interferential Current Stimulation (ICS)", "118-120"),)),
    Treatment("Lumbar support brace", "DMEPOS", "brace", (acoem("Lumbar supports", "301"), odg("Lumbar supports")), parts=("low back",)),
    Treatment("Hinged knee brace", "DMEPOS", "brace", (acoem("Knee brace", "340"), odg("Knee brace")), parts=("knee",)),
    Treatment("Cold therapy unit", "DMEPOS", "brace", (odg("Continuous-flow cryotherapy"),), parts=("shoulder", "knee")),
    Treatment("Lumbar epidural steroid injection L4-L5", "Injections", "esi", (cpmtg("Epidural steroid injections (ESIs)", "46"),), parts=("low back",), quantities=(1,), specialties=("anes",)),
    Treatment("Cervical epidural steroid injection C5-C6", "Injections", "esi", (cpmtg("Epidural steroid injections (ESIs)", "46"),), parts=("neck",), quantities=(1,), specialties=("anes",)),
    Treatment("Trigger point injections", "Injections", "tpi", (cpmtg("Trigger point injections", "122"),), quantities=(1, 2, 4), specialties=("anes", "pmr")),
    Treatment("Corticosteroid injection to the {part}", "Injections", "joint_injection", (acoem("Injections"), odg("Corticosteroid injections")), parts=("shoulder", "knee", "hip"), quantities=(1,), specialties=("ortho",)),
    Treatment("Arthroscopic partial meniscectomy of the {part}", "Surgery", "surgery", (acoem("Surgical Considerations", "344-345"), odg("Meniscectomy")), parts=("knee",), specialties=("ortho",)),
    Treatment("Arthroscopic subacromial decompression of the {part}", "Surgery", "surgery", (acoem("Surgical Considerations", "209-211"), odg("Surgery for impingement syndrome")), parts=("shoulder",), specialties=("ortho",)),
    Treatment("Carpal tunnel release", "Surgery", "surgery", (acoem("Surgical Considerations", "270"), odg("Carpal tunnel release surgery (CTR)")), parts=("wrist",), specialties=("ortho", "hand")),
    Treatment("Lumbar fusion L4-S1", "Surgery", "surgery", (acoem("Surgical Considerations", "305-307"), odg("Fusion (spinal)")), parts=("low back",), specialties=("ortho", "nsurg")),
    Treatment("Follow-up visit with pain management", "Evaluation and management", "visit", (acoem("Independent Medical Examinations and Consultations", "127"), odg("Office visits", "Pain (Chronic)"))),
    Treatment("Orthopedic consultation", "Evaluation and management", "visit", (acoem("Independent Medical Examinations and Consultations", "127"), odg("Office visits"))),
    Treatment("Office visits", "Evaluation and management", "visit", (odg("Office visits", "Pain (Chronic)"),), quantities=(1, 2, 4), unit="sessions"),
    Treatment("Psychotherapy", "Behavioral and mental health", "psych", (cpmtg("Behavioral interventions", "23"), odg("Cognitive therapy for depression", "Mental Illness & Stress")), parts=("psyche",), quantities=(6, 8, 12), unit="sessions", specialties=("psychology", "psychiatry")),
    Treatment("Cognitive behavioral therapy", "Behavioral and mental health", "psych", (cpmtg("Behavioral interventions", "23"), odg("Cognitive behavioral therapy (CBT)", "Mental Illness & Stress")), parts=("psyche",), quantities=(6, 10), unit="sessions", specialties=("psychology",)),
    Treatment("Psychiatric consultation", "Behavioral and mental health", "visit", (acoem("Referral", "398"), odg("Office visits", "Mental Illness & Stress")), parts=("psyche",), specialties=("psychiatry",)),
    Treatment("Functional restoration program", "Programs", "frp", (cpmtg("Functional restoration programs (FRPs)", "30-34"), cpmtg("Chronic pain programs", "30-32")), quantities=(80, 160), specialties=("pmr", "occ")),
    Treatment("Gym membership", "Programs", "gym", (odg("Gym memberships", "Low Back - Lumbar & Thoracic (Acute & Chronic)"), cpmtg("Exercise", "46-47"))),
    Treatment("Weight loss program", "Programs", "gym", (other("Annals of Internal Medicine, Evaluation of the major commercial weight loss programs"), other("the National Institutes of Health clinical guidelines on obesity"))),
    Treatment("Home health care 4 hours per day", "Home health", "home", (cpmtg("Home health services", "51"),), specialties=("im", "pmr")),
    Treatment("Transportation to and from medical appointments", "Other", "transport", (odg("Transportation (to & from appointments)", "Knee & Leg (Acute & Chronic)"),)),
)

# DWC-like shares of requests by category (2016-2024 reports: pharmaceuticals ~35-45%, etc.).
CATEGORY_WEIGHTS: tuple[tuple[str, float], ...] = (
    (P, 40), (R, 20), (D, 12), ("DMEPOS", 7), ("Injections", 6),
    ("Evaluation and management", 5), ("Surgery", 3.5), ("Behavioral and mental health", 3),
    ("Programs", 2), ("Home health", 1), ("Other", 0.5),
)

# Per family: what the guideline says (reviewer's summary), why a request fails, why it succeeds.
FAMILY_TEXT: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "opioid": (
        ("Guidelines support ongoing opioid management only with documentation of pain relief, functional status, appropriate medication use and side effects.",
         "For ongoing use of opioids, the guidelines require the lowest possible dose, an ongoing review of the four domains (analgesia, activities of daily living, adverse side effects and aberrant drug-taking behaviors) and evidence of functional improvement."),
        ("There is no documentation of a reduction in pain scores or an increase in function attributable to the medication, and no recent urine drug screen or pain agreement is on file.",
         "The records do not document objective functional improvement with the chronic use of this opioid, and the morphine equivalent dose is not addressed."),
        ("The progress notes document a decrease in pain from 8/10 to 4/10 with the medication, an improved ability to perform household tasks, a signed opioid agreement and consistent urine drug screens.",),
    ),
    "relaxant": (
        ("Non-sedating muscle relaxants are recommended with caution as a second-line option for short-term treatment of acute exacerbations of chronic low back pain.",
         "Muscle relaxants are not recommended for long-term use; efficacy appears to diminish over time and prolonged use may lead to dependence."),
        ("The medication has been prescribed on a chronic basis well beyond the recommended two to three week course, and there is no documentation of an acute exacerbation.",
         "There is no documentation of muscle spasm on examination and the request exceeds short-term use."),
        ("The records document an acute flare-up with palpable paravertebral muscle spasm, and the request is for a short course consistent with guideline recommendations.",),
    ),
    "topical": (
        ("Topical analgesics are largely experimental in use with few randomized controlled trials to determine efficacy or safety.",
         "Any compounded product that contains at least one drug (or drug class) that is not recommended is not recommended."),
        ("There is no documentation of a failed trial of first-line therapy such as antidepressants or anticonvulsants.",
         "The requested product contains an ingredient that is not recommended for topical use."),
        ("The records document localized peripheral neuropathic pain after failure of first-line oral agents, which is the indication the guidelines describe.",),
    ),
    "sleep": (
        ("Zolpidem is a short-acting nonbenzodiazepine hypnotic approved for the short-term (usually two to six weeks) treatment of insomnia.",
         "Pain specialists rarely, if ever, recommend sleeping pills for long-term use; they can be habit-forming and may impair function and memory."),
        ("The medication has been used for several months, and there is no description of sleep hygiene measures or of the sleep pattern.",),
        ("The request is for a short course following a recent change in the sleep pattern, with documented sleep hygiene counseling.",),
    ),
    "ppi": (
        ("Proton pump inhibitors are recommended for patients taking NSAIDs who are at intermediate or high risk for gastrointestinal events.",),
        ("There is no documentation of gastrointestinal risk factors such as age over 65, a history of peptic ulcer or GI bleeding, or concurrent use of aspirin or corticosteroids.",),
        ("The records document a history of gastritis with dyspepsia on NSAID therapy, which places the injured worker at intermediate risk.",),
    ),
    "nsaid": (
        ("NSAIDs are recommended at the lowest dose for the shortest period in patients with moderate to severe pain.",),
        ("There is no documentation of a specific analgesic benefit or of monitoring of renal and hepatic function with long-term use.",),
        ("The records document improved pain and function with the medication and no adverse effects.",),
    ),
    "neuropathic": (
        ("Antiepilepsy drugs and antidepressants are recommended for neuropathic pain; a good response is defined as a 50% reduction in pain, and a moderate response as 30%.",),
        ("There is no documentation of neuropathic pain on examination and no report of the degree of pain relief obtained with prior use.",),
        ("The records document radicular pain with dermatomal sensory loss and a 30% reduction in pain with the medication.",),
    ),
    "therapy": (
        ("Guidelines allow for fading of treatment frequency from up to 3 visits per week to 1 or less, plus active self-directed home physical medicine; 9-10 visits over 8 weeks are recommended for myalgia and myositis.",
         "Active therapy is based on the philosophy that therapeutic exercise and/or activity are beneficial for restoring flexibility, strength, endurance, function, range of motion, and can alleviate discomfort."),
        ("The injured worker has already completed a course of therapy without documented objective functional improvement, and the request exceeds the number of visits the guidelines support.",
         "There is no explanation of why the injured worker cannot continue with an independent home exercise program."),
        ("The injured worker has not had therapy for this body part, and the number of visits requested is within guideline recommendations.",),
    ),
    "chiro": (
        ("Manual therapy and manipulation is recommended for chronic pain if caused by musculoskeletal conditions, with a trial of 6 visits over 2 weeks and, with evidence of objective functional improvement, a total of up to 18 visits over 6-8 weeks.",),
        ("Prior chiropractic care has been provided without documented objective functional improvement, and elective or maintenance care is not medically necessary.",),
        ("This is a first trial of manipulation, and the number of visits requested is within the recommended trial.",),
    ),
    "acupuncture": (
        ("Acupuncture is used as an option when pain medication is reduced or not tolerated, with a time to produce functional improvement of 3 to 6 treatments.",),
        ("Prior acupuncture sessions were completed without documentation of functional improvement as defined in the guidelines.",),
        ("This is an initial trial, and the records document that pain medication has been reduced.",),
    ),
    "massage": (
        ("Massage therapy is recommended as an option. It should be an adjunct to other recommended treatment, such as exercise, and it should be limited to 4-6 visits in most cases.",),
        ("The injured worker has already had treatment and is performing a home exercise program, and maintenance treatment is not supported.",),
        ("The request is for an initial course of 4-6 visits as an adjunct to an active exercise program.",),
    ),
    "imaging": (
        ("Imaging is recommended when there are unequivocal objective findings that identify specific nerve compromise or red flags, or when surgery is being considered.",
         "Repeat imaging is not routinely recommended and should be reserved for a significant change in symptoms or findings suggestive of significant pathology."),
        ("There are no red flags, no progressive neurologic deficit and no documentation that surgery is being considered.",
         "A prior study was performed, and there is no documentation of a significant change in symptoms or examination findings."),
        ("The examination documents new objective findings with failure of conservative care, and the study would guide surgical planning.",),
    ),
    "electro": (
        ("Electrodiagnostic studies may help identify subtle focal neurologic dysfunction in patients with symptoms lasting more than three or four weeks.",),
        ("The neurological examination is normal and the clinical picture is not equivocal.",),
        ("The injured worker has numbness and tingling with equivocal examination findings after conservative care.",),
    ),
    "uds": (
        ("Drug testing is recommended as an option to assess for the use or the presence of illegal drugs and to monitor patients on opioid therapy.",),
        ("The injured worker is at low risk of aberrant behavior and a screen was performed recently; more frequent testing is not supported.",),
        ("The injured worker is on chronic opioid therapy and no screen has been performed in the past year.",),
    ),
    "tens": (
        ("A one-month home-based trial may be considered as a noninvasive conservative option if used as an adjunct to a program of evidence-based functional restoration.",),
        ("There is no documentation of a successful one-month trial, and purchase of the unit is not supported without it.",),
        ("The records document a successful one-month trial with reduced medication use and improved function.",),
    ),
    "brace": (
        ("Supports and braces have not been shown to have lasting benefit beyond the acute phase of symptom relief.",),
        ("The injured worker is in the chronic phase of injury and there is no documented instability.",),
        ("The brace is requested for the postoperative period, which is an accepted use.",),
    ),
    "esi": (
        ("Epidural steroid injections are recommended as an option for radicular pain, defined as pain in a dermatomal distribution with corroborative findings of radiculopathy.",),
        ("Radiculopathy is not documented by physical examination and corroborated by imaging or electrodiagnostic testing.",
         "A prior injection did not provide at least 50% pain relief with an associated reduction of medication use for six to eight weeks."),
        ("Radiculopathy is documented on examination and corroborated by MRI, and the injured worker has failed conservative treatment.",),
    ),
    "tpi": (
        ("Trigger point injections are recommended only for myofascial pain syndrome with documented circumscribed trigger points with a twitch response and referred pain.",),
        ("The examination does not document trigger points with a twitch response and referred pain, and radiculopathy is present.",),
        ("The examination documents circumscribed trigger points with a twitch response, and medical management has failed.",),
    ),
    "joint_injection": (
        ("Corticosteroid injections are recommended for short-term use, with two or three injections over an extended period as part of an exercise rehabilitation program.",),
        ("Prior injections did not provide sustained relief, and there is no documentation of an active rehabilitation program.",),
        ("The injured worker has failed conservative treatment and has not had a prior injection.",),
    ),
    "surgery": (
        ("Surgical consultation is indicated for activity limitation for more than four months, failure to increase range of motion and strength with exercise programs, and clear clinical and imaging evidence of a lesion shown to benefit from surgical repair.",),
        ("There is no documentation of a complete course of conservative care, and the imaging findings are degenerative.",
         "The clinical findings do not correlate with the imaging study."),
        ("The injured worker has failed more than six months of conservative care, and the examination and imaging findings are concordant.",),
    ),
    "visit": (
        ("The need for a clinical office visit is individualized based upon a review of the patient's concerns, signs and symptoms, clinical stability and reasonable physician judgment.",
         "A referral may be appropriate if the practitioner is uncomfortable with the medical issues, the diagnosis is uncertain or extremely complex, or the plan would benefit from additional expertise."),
        ("The request is not tied to a specific clinical question, and the frequency of visits is not supported by the records.",),
        ("The injured worker remains on medications that require monitoring, and the diagnosis remains complex.",),
    ),
    "psych": (
        ("Behavioral interventions are recommended, with an initial trial of 3-4 psychotherapy visits over 2 weeks and, with evidence of objective functional improvement, a total of up to 6-10 visits over 5-6 weeks.",),
        ("The injured worker has completed prior sessions without documentation of objective functional improvement.",),
        ("The psychological evaluation documents depressive symptoms that interfere with recovery, and this is an initial course.",),
    ),
    "frp": (
        ("Functional restoration programs are recommended where there is access to programs with proven successful outcomes, for patients with conditions that put them at risk of delayed recovery.",),
        ("An adequate and thorough evaluation has not been made, and negative predictors of success have not been addressed.",),
        ("A multidisciplinary evaluation was completed, previous methods of treating chronic pain have been unsuccessful, and the injured worker is motivated to change.",),
    ),
    "gym": (
        ("Gym memberships are not recommended as a medical prescription unless a home exercise program has not been effective and there is a need for equipment.",),
        ("There is no documentation that a home exercise program has failed or that treatment would be monitored by a medical professional.",),
        ("The records document failure of a home exercise program and a need for specific equipment under professional supervision.",),
    ),
    "home": (
        ("Home health services are recommended only for otherwise recommended medical treatment for patients who are homebound, on a part-time or intermittent basis, generally up to no more than 35 hours per week.",),
        ("The records do not show that the injured worker is homebound, and the services requested appear to be homemaker services rather than medical treatment.",),
        ("The injured worker is homebound after surgery and requires skilled wound care and medication management.",),
    ),
    "transport": (
        ("Transportation to appointments is recommended for medically necessary transportation for patients with disabilities preventing them from self-transport.",),
        ("There is no documentation of a disability that prevents the injured worker from driving or using public transportation.",),
        ("The injured worker is unable to drive following surgery and has no other means of transport.",),
    ),
}
