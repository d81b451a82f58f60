// Bit-exact glibc 2.36 log(x) for x86_64: `log` reproduces the FMA+AVX2 ifunc variant (__log_fma), `logNoFma` the SSE2 one.
//
// Algorithm (ARM optimized-routines, in glibc since 2.28): x = 2^k z, log(x) = k ln2 + log(c) + log1p(z/c - 1) with a
// 128-entry table of (1/c, log c) and a degree-6 polynomial; inputs near 1 use a separate degree-12 polynomial.
// https://github.com/bminor/glibc/blob/release/2.36/master/sysdeps/ieee754/dbl-64/e_log.c
// The FMA variant is the same C compiled with -mfma -mavx2 (so __FP_FAST_FMA is defined and r = fma(z, invc, -1));
// the other fused operations follow GCC's contractions as disassembled from this machine's libm (__ieee754_log_fma):
// https://github.com/bminor/glibc/blob/release/2.36/master/sysdeps/x86_64/fpu/multiarch/e_log-fma.c
import { FMA_SPLITTER, fmaFast, fmaSplit } from "./fma.ts";

// https://github.com/bminor/glibc/blob/release/2.36/master/sysdeps/ieee754/dbl-64/e_log_data.c
const LOG_LN2HI = 0.6931471805598903; // 0x1.62e42fefa3800p-1
const LOG_LN2LO = 5.497923018708371e-14; // 0x1.ef35793c76730p-45
const LOG_A0 = -0.5000000000000001; // -0x1.0000000000001p-1
const LOG_A1 = 0.33333333331825593; // 0x1.555555551305bp-2
const LOG_A2 = -0.2499999999622955; // -0x1.fffffffeb459p-3
const LOG_A3 = 0.20000304511814496; // 0x1.999b324f10111p-3
const LOG_A4 = -0.16667054827627667; // -0x1.55575e506c89fp-3
const LOG_B0 = -0.5; // -0x1p-1
const LOG_B1 = 0.3333333333333352; // 0x1.5555555555577p-2
const LOG_B2 = -0.24999999999998432; // -0x1.ffffffffffdcbp-3
const LOG_B3 = 0.19999999999320328; // 0x1.999999995dd0cp-3
const LOG_B4 = -0.16666666669929706; // -0x1.55555556745a7p-3
const LOG_B5 = 0.14285715076560868; // 0x1.24924a344de3p-3
const LOG_B6 = -0.12499997863982555; // -0x1.fffffa4423d65p-4
const LOG_B7 = 0.11110712032936046; // 0x1.c7184282ad6cap-4
const LOG_B8 = -0.10000486757818193; // -0x1.999eb43b068ffp-4
const LOG_B9 = 0.09181994006195467; // 0x1.78182f7afd085p-4
const LOG_B10 = -0.08328363062289341; // -0x1.5521375d145cdp-4
const LOG_NEAR1_LO = 0.9375; // 1.0 - 0x1p-4
const LOG_NEAR1_HI = 1.064697265625; // 1.0 + 0x1.09p-4
const LOG_2M1022 = 2.2250738585072014e-308; // 0x1p-1022
const LOG_2P52 = 4503599627370496; // 0x1p52
const LOG_2P27 = 134217728; // 0x1p27
const LOG_MARGIN = 5.421010862427522e-20; // 2^-64
const LOG_NEAR1_MARGIN = 8.881784197001252e-16; // 2^-50

/** tab[i].invc of e_log_data.c: 1/c for the subinterval i of [0x1.6p-1, 0x1.6p0). */
const LOG_INVC = Float64Array.of(
  1.4504249240398293, 1.442253508327276, 1.4341736174350004,
  1.426183816329995, 1.4182825527052965, 1.4104682921759335,
  1.4027396147468003, 1.3950954438932313, 1.3875338232485754,
  1.3800539211058593, 1.3726542695419708, 1.3653332798446802,
  1.358090204587874, 1.3509234892132138, 1.3438320840699889,
  1.3368146974742003, 1.329870114677736, 1.322997339161106,
  1.316195352741367, 1.3094628125672239, 1.3027990455471041,
  1.2962024229438942, 1.2896726275815547, 1.2832080305745537,
  1.276807885983376, 1.2704714060687552, 1.2641976054949482,
  1.257985357514882, 1.2518337750655457, 1.2457421919097305,
  1.2397094966625508, 1.2337348463589233, 1.2278176973028803,
  1.2219570190618474, 1.2161519732977757, 1.2104018095009725,
  1.204705805718973, 1.1990631185441964, 1.1934733004462308,
  1.1879350812847385, 1.1824481322833125, 1.1770114976921955,
  1.1716248121809465, 1.1662869231674715, 1.1609977486762766,
  1.1557563220795803, 1.1505619105480347, 1.1454138888505974,
  1.140311877374656, 1.1352550225747513, 1.1302429094831266,
  1.1252747693068048, 1.1203501571039876, 1.1154683327680124,
  1.1106291463292157, 1.1058315813301596, 1.1010752177696026,
  1.0963597137952512, 1.0916844827550398, 1.0870487291277784,
  1.082452357388312, 1.0778948225025884, 1.0733751731601076,
  1.068893585073351, 1.0644491706655506, 1.0600414846328305,
  1.0556701316181605, 1.051334750556926, 1.0470347288442157,
  1.0427699229652954, 1.0385395013738175, 1.034343418940345,
  1.0301811073173315, 1.026052043621297, 1.0219561082336197,
  1.0178926505784922, 1.0138614436244586, 1.0098620186501341,
  1.0058938559734134, 1.00195696235014, 0.9961089923088509,
  0.9884170338185201, 0.9808429191005297, 0.9733840169987446,
  0.9660377568876556, 0.9588014945307369, 0.9516728569073111,
  0.9446494635965822, 0.9377288993026223, 0.9309091073790681,
  0.924187681612722, 0.9175626765599192, 0.9110320403624034,
  0.9045935839762024, 0.8982456375922825, 0.8919860966782501,
  0.8858131121185129, 0.879725075760676, 0.8737201372634685,
  0.8677966405782273, 0.8619528050060739, 0.8561872354420692,
  0.8504983927816893, 0.8448844572790304, 0.8393442741575965,
  0.8338762249349438, 0.8284789320557778, 0.8231510800065832,
  0.8178913903778707, 0.8126984007245374, 0.8075710029460227,
  0.8025078881160415, 0.7975077379364331, 0.792569604966373,
  0.7876923641254114, 0.7828746724940998, 0.7781155388790811,
  0.7734139557869777, 0.7687687179914933, 0.7641790698041854,
  0.7596438763692399, 0.7551621951078668, 0.7507331780216866,
  0.7463557196361751, 0.7420289364869653, 0.7377521537065876,
  0.7335242966002608, 0.729344777457841
);

/** tab[i].logc of e_log_data.c: log(c), rounded so that k*ln2hi + logc is exact. */
const LOG_LOGC = Float64Array.of(
  -0.3718565645633589, -0.36620682668944937, -0.3605888069791945,
  -0.3550022171419869, -0.34944666968829097, -0.3439217713603284,
  -0.3384271921261188, -0.332962831494342, -0.32752794345742586,
  -0.32212257167088865, -0.3167462884799761, -0.3113985598928366,
  -0.3060794515165526, -0.300788424667644, -0.2955252968476998,
  -0.29028969275850613, -0.2850812793277555, -0.27989987391470095,
  -0.27474526621870154, -0.2696169863701243, -0.26451506180308115,
  -0.2594387762767383, -0.2543884090981692, -0.24936321635129843,
  -0.24436312405975968, -0.23938801747897287, -0.23443761696705678,
  -0.22951151871518505, -0.2246094963439873, -0.21973149037705753,
  -0.2148770752847895, -0.210046029103637, -0.20523836373934046,
  -0.20045368751368642, -0.1956917537758045, -0.19095237845203883,
  -0.18623539250290833, -0.18154051731551135, -0.1768677957431919,
  -0.17221657406412305, -0.16758697765942543, -0.16297859687290384,
  -0.15839151377804228, -0.15382513241456763, -0.14927976358922024,
  -0.14475495398119165, -0.14025044090817573, -0.1357660466685502,
  -0.1313018016355727, -0.12685731518763532, -0.1224325737671279,
  -0.11802724521862729, -0.11364127671663482, -0.10927434611278386,
  -0.10492665324943573, -0.10059761422644442, -0.09628717309055901,
  -0.09199534069557558, -0.08772190036688698, -0.08346643613867855,
  -0.07922916827544668, -0.0750099004750382, -0.07080805133352897,
  -0.06662408085151128, -0.06245745471915143, -0.0583080438042316,
  -0.05417576112313327, -0.050060547896805474, -0.045962101199052086,
  -0.04188056008865715, -0.03781540056183985, -0.03376684757915882,
  -0.029734619131772888, -0.025718470239212365, -0.021718543925430822,
  -0.01773446126981071, -0.013766252464051831, -0.009813706322574944,
  -0.005876555150052809, -0.0019550499938532084, 0.0038985973556009412,
  0.011650571286395461, 0.019342955478919066, 0.0269766014846482,
  0.034552359728422744, 0.04207121767183253, 0.049533940950141186,
  0.056941358295944156, 0.06429439168346107, 0.0715936354946507,
  0.07884010933776153, 0.08603438905970506, 0.09317721180013905,
  0.10026951462748457, 0.10731170956330516, 0.11430473320717738,
  0.12124928503033061, 0.12814583422959913, 0.1349951636851756,
  0.1417978768189414, 0.14855476039031146, 0.1552661937658968,
  0.16193275688146969, 0.16855539792220497, 0.1751343179947753,
  0.1816702989864325, 0.18816387146023317, 0.1946155228479256,
  0.20102572579389744, 0.2073952090795501, 0.21372429840596396,
  0.2200135945981856, 0.22626374162859975, 0.23247494747693054,
  0.23864766620658884, 0.24478265647405806, 0.25088025827324145,
  0.2569408552510595, 0.26296511155101143, 0.2689531327189343,
  0.27490553924610595, 0.2808227248478943, 0.286704979267256,
  0.29255295645509705, 0.2983670386142876, 0.30414734587282055,
  0.30989455774829366, 0.31560871301871884
);

/** tab2[i].chi of e_log_data.c (used by the non-FMA variant only): c rounded to double. */
const LOG_CHI = Float64Array.of(
  0.6894531274426304, 0.6933593811533166, 0.6972656502972674,
  0.7011718886092148, 0.7050781228976939, 0.7089843887644558,
  0.7128906815542553, 0.7167968359278303, 0.7207031520563163,
  0.7246093683054673, 0.7285155644718035, 0.7324219036935506,
  0.73632811474659, 0.7402343715130797, 0.7441405900738403,
  0.7480468324364, 0.7519531335902885, 0.7558594189116706,
  0.7597656365502305, 0.7636719350887737, 0.767578087670501,
  0.7714844396979536, 0.7753905747966752, 0.7792968686084766,
  0.783203182701066, 0.7871094109030913, 0.7910155783031153,
  0.7949218121071572, 0.7988281031542229, 0.8027343109146796,
  0.8066405901480322, 0.8105469363625933, 0.8144531571720115,
  0.8183593894061396, 0.8222656559018297, 0.8261719308006343,
  0.830078177803083, 0.8339844538076674, 0.8378905498984414,
  0.8417968420618669, 0.8457030568173808, 0.8496093725173733,
  0.8535155534462677, 0.8574219432077146, 0.8613281129443706,
  0.8652342893532053, 0.8691405397938828, 0.8730468608194392,
  0.8769530685783117, 0.8808593488818101, 0.8847655593409667,
  0.888671840226208, 0.8925780870017613, 0.8964844367374554,
  0.9003905608862683, 0.9042968358682077, 0.9082031671057441,
  0.9121093993305497, 0.9160155849026457, 0.9199219622862499,
  0.9238281880717143, 0.9277343012727929, 0.9316407021562788,
  0.935546825207466, 0.9394530312562943, 0.9433593066844669,
  0.9472655994038329, 0.9511718313032721, 0.9550781578218178,
  0.9589843147339043, 0.9628906735633685, 0.9667968893972092,
  0.9707031054025779, 0.9746094325494931, 0.9785156054582722,
  0.9824218687812282, 0.9863280690752917, 0.9902342909546034,
  0.9941406780264008, 0.9980468598715558, 1.0039062067717412,
  1.0117187035281372, 1.0195312424919558, 1.0273437641634193,
  1.0351562274561221, 1.0429687539123276, 1.0507812561238108,
  1.0585937308350133, 1.0664062936992642, 1.0742187309945372,
  1.082031301537134, 1.0898438063644336, 1.0976562356711468,
  1.1054688179463226, 1.113281220803328, 1.1210937073167315,
  1.1289062967338532, 1.1367187631150848, 1.1445312490244826,
  1.1523437096203593, 1.1601563266482477, 1.1679688257483505,
  1.1757811754697645, 1.183593793665613, 1.1914062331617676,
  1.1992187450577771, 1.2070312971249755, 1.2148438169965134,
  1.222656225220801, 1.2304687681290862, 1.2382812116234925,
  1.2460936706149877, 1.2539063289686938, 1.2617188367227732,
  1.2695311590462317, 1.277343660657941, 1.2851561882963496,
  1.2929686521915196, 1.3007813359167737, 1.3085938093753886,
  1.3164063202609564, 1.3242188320313901, 1.3320311786874468,
  1.3398436880573092, 1.3476563390295309, 1.3554687641043626,
  1.3632813590971713, 1.3710936595522603
);

/** tab2[i].clo of e_log_data.c: c - chi. */
const LOG_CLO = Float64Array.of(
  2.60290652810535e-17, 5.1607448519931415e-17, 5.290672414887869e-17,
  7.801030634806013e-18, -2.471355337688684e-17, -4.6413389636862956e-17,
  3.3387408065940366e-17, -2.6454587338050098e-17, 2.4284096334522285e-17,
  4.85782435031982e-17, -1.3014776598894487e-17, -1.0402317671225898e-17,
  3.078291427467431e-17, -1.4304998976623033e-17, -2.8625955785571303e-17,
  5.1609093535635645e-17, 4.423423949536319e-17, -4.683016762099508e-17,
  4.466742007514772e-17, -4.8134498775190266e-17, -4.3371015350542286e-17,
  -2.515644472251707e-17, -4.163636184961329e-17, 3.3837161384165165e-17,
  4.379206565056758e-17, 2.7322930976146396e-17, -5.463661225364046e-17,
  -1.4320502634189868e-17, -4.0766731402809024e-17, -4.0338264352540086e-17,
  1.7241428071650815e-18, -4.5534218930924523e-17, 1.821216920589142e-17,
  4.9864288025894273e-17, 4.335990416726689e-17, -5.422001471661127e-17,
  -5.333603728929035e-17, -1.1270648442682386e-17, -3.165126734800398e-17,
  1.1286283062565865e-17, 5.643595964448442e-18, -2.1687834632368187e-17,
  -2.2548234217914977e-17, 4.683260556353139e-17, 2.5148296884122795e-17,
  -8.672187570949467e-18, -1.2576268285559751e-17, -2.9930851265148e-17,
  4.814801507681644e-17, -9.10549533611022e-18, -3.512414651620766e-17,
  3.555261815374023e-17, 1.692380503540994e-17, -1.0837881791715702e-17,
  5.2900545724138363e-17, 5.3330721088784517e-17, 1.8640040753232978e-17,
  4.467972832054075e-17, -5.216213419585033e-18, -2.7324731032846873e-17,
  -1.7769263393434193e-17, 4.943363080817441e-17, 4.164434042024055e-17,
  1.3011820859795741e-17, -2.7332907838481398e-17, 2.342133170803292e-17,
  1.6478717480487438e-17, -5.19608290131499e-18, -3.5565573220579e-17,
  2.0816772146458738e-17, -3.471962826146841e-18, -3.68646834472642e-17,
  -3.4674108076868834e-18, 4.598152624774392e-17, 4.553145752392568e-17,
  -7.811259169418978e-18, 2.0375615178047467e-17, -1.344597043422914e-17,
  1.51853723695054e-17, -1.301926039598001e-17, -4.596120641744973e-17,
  -8.152405002665349e-17, 8.239927014757811e-17, 3.122851005327045e-17,
  -1.3010212611128995e-17, -5.984116688633458e-17, 2.860923854822335e-17,
  -1.9962944508904598e-17, 5.291469130309099e-17, 1.0321575006732523e-16,
  9.021194373419119e-17, 5.202798992357953e-17, 5.898318482500785e-17,
  8.846377690653252e-17, -9.529455965212574e-18, 6.765080709377787e-17,
  1.0929327370933015e-16, 6.938570551230516e-17, 1.908841015045148e-17,
  2.7744504138979832e-17, -1.5621964097491672e-17, -6.4191661495975e-17,
  -4.336465165059268e-17, -3.8159292551356396e-17, -2.94933042768015e-17,
  -6.244142916351348e-17, 7.458644622627413e-17, 2.7760519266147807e-17,
  -7.025106921079665e-17, 3.7292622364618835e-17, 2.2558949940652082e-17,
  8.499368944400665e-17, 1.039515474644361e-17, 3.297262223275499e-17,
  4.509883253594155e-17, -7.546987371769545e-17, 9.454295598818184e-17,
  -7.28545609119749e-17, -8.934357651462802e-17, 8.15257059458102e-17,
  6.946341460765881e-18, -7.892731380721676e-17, -4.3384657500713545e-17,
  9.627577954598792e-17, 4.2492400590204517e-17, -1.0843419551446047e-16,
  -8.50172782472025e-17, -7.110627206162922e-17
);

/** High half (26 bits) of the Veltkamp split of c. */
function log_hi(c: number): number {
  const t = FMA_SPLITTER * c;
  return t - (t - c);
}

const LOG_INVC_HI = LOG_INVC.map(log_hi);
const LOG_INVC_LO = LOG_INVC.map((c, i) => c - LOG_INVC_HI[i]!);
const LOG_LN2LO_HI = log_hi(LOG_LN2LO);
const LOG_LN2LO_LO = LOG_LN2LO - LOG_LN2LO_HI;
const LOG_A2_HI = log_hi(LOG_A2);
const LOG_A2_LO = LOG_A2 - LOG_A2_HI;
const LOG_A4_HI = log_hi(LOG_A4);
const LOG_A4_LO = LOG_A4 - LOG_A4_HI;
const LOG_B2_HI = log_hi(LOG_B2);
const LOG_B2_LO = LOG_B2 - LOG_B2_HI;
const LOG_B5_HI = log_hi(LOG_B5);
const LOG_B5_LO = LOG_B5 - LOG_B5_HI;
const LOG_B8_HI = log_hi(LOG_B8);
const LOG_B8_LO = LOG_B8 - LOG_B8_HI;

/** LOG_POW2[e + 1024] = 2^e for -1024 <= e <= 1023. */
const LOG_POW2 = log_pow2Table();

function log_pow2Table(): Float64Array {
  const t = new Float64Array(2048);
  let v = 1;
  for (let e = 0; e <= 1023; e++, v *= 2) t[e + 1024] = v;
  v = 1;
  for (let e = 0; e >= -1024; e--, v /= 2) t[e + 1024] = v;
  return t;
}

/** Scratch for reading the high 32 bits of a double. */
const LOG_F64 = new Float64Array(1);
const LOG_U32 = new Uint32Array(LOG_F64.buffer);
const LOG_HI = new Uint8Array(new Uint16Array([1]).buffer)[0]! === 1 ? 1 : 0;

/** log(x) for x < 0x1p-1022 (other than subnormals), +-Inf and NaN: __math_divzero(1) / x / __math_invalid(x). */
function log_special(x: number): number {
  if (x === 0) return -Infinity;
  if (x === Infinity) return x;
  return NaN;
}

/** The |x - 1| < ~1/16 branch of __log, unfused (SSE2 build). */
function log_near1(x: number): number {
  const r = x - 1.0;
  const r2 = r * r;
  const r3 = r * r2;
  let y = r3 * (LOG_B1 + r * LOG_B2 + r2 * LOG_B3 +
    r3 * (LOG_B4 + r * LOG_B5 + r2 * LOG_B6 + r3 * (LOG_B7 + r * LOG_B8 + r2 * LOG_B9 + r3 * LOG_B10)));
  // Worst-case error is around 0.507 ULP.
  const w = r * LOG_2P27;
  const rhi = r + w - w;
  const rlo = r - rhi;
  const wb = rhi * rhi * LOG_B0; // exact: rhi has at most 26 significant bits, B0 = -0.5
  const hi = r + wb;
  let lo = r - hi + wb;
  lo += LOG_B0 * rlo * (rhi + r);
  y += lo;
  y += hi;
  return y;
}

/**
 * The near-1 branch of __log_fma. Its result is RN(hi + y) with hi computed identically in both builds. Fused and
 * unfused y differ by less than 2^-52 (|r3| + |y| + |lo| + |prod|): the bracket of 1/3-sized terms differs by at most
 * six roundings (< 2^-52.4, times r3), plus the final roundings of y, lo and the product. When hi + (y -+ m) with
 * m = 2^-50 (|r3| + |y| + |lo| + |prod|) round to the same double, so does the fused result; otherwise (about 2% of
 * inputs here) the fused evaluation is emulated exactly. Measured maximum of |fused y - unfused y| / (|r3| + |y|)
 * over 2e7 inputs: 2^-52.
 */
function log_near1Fma(x: number): number {
  const r = x - 1.0;
  const r2 = r * r;
  const r3 = r * r2;
  const q = LOG_B1 + r * LOG_B2 + r2 * LOG_B3 +
    r3 * (LOG_B4 + r * LOG_B5 + r2 * LOG_B6 + r3 * (LOG_B7 + r * LOG_B8 + r2 * LOG_B9 + r3 * LOG_B10));
  const w = r * LOG_2P27;
  const rhi = r + w - w; // fused as fma(r, 2^27, r) and fnmadd: the products are exact, so nothing changes
  const rlo = r - rhi;
  const wb = rhi * rhi * LOG_B0;
  const hi = r + wb; // fma(rhi * rhi, B0, r): exact product
  const lo0 = r - hi + wb; // fma(rhi * rhi, B0, r - hi): exact product
  const prod = LOG_B0 * rlo * (rhi + r); // fused into the next add in __log_fma
  const lo = lo0 + prod;
  const y = r3 * q + lo;
  const m = (Math.abs(r3) + Math.abs(y) + Math.abs(lo) + Math.abs(prod)) * LOG_NEAR1_MARGIN;
  const a = hi + (y - m);
  if (a === hi + (y + m)) return a;
  return log_near1FmaExact(r, r2, r3, rhi, rlo, hi, lo0);
}

/** The near-1 branch of __log_fma without the shortcut (for logFmaExact). */
function log_near1FmaExactFrom(x: number): number {
  const r = x - 1.0;
  const r2 = r * r;
  const w = r * LOG_2P27;
  const rhi = r + w - w;
  const wb = rhi * rhi * LOG_B0;
  const hi = r + wb;
  return log_near1FmaExact(r, r2, r * r2, rhi, r - rhi, hi, r - hi + wb);
}

/** The fused tail of the near-1 branch of __log_fma, emulated exactly. */
function log_near1FmaExact(r: number, r2: number, r3: number, rhi: number, rlo: number, hi: number, lo0: number): number {
  // GCC's contraction: every `a + r^j * B` becomes an fma, `lo += B0 * rlo * (rhi + r)` becomes
  // fma(B0 * rlo, rhi + r, lo), and `y = r3 * (...); y += lo` becomes fma(.., r3, lo).
  const rs = FMA_SPLITTER * r;
  const rh = rs - (rs - r);
  const rl = r - rh;
  const p1 = fmaFast(r2, LOG_B3, fmaSplit(r, rh, rl, LOG_B2, LOG_B2_HI, LOG_B2_LO, LOG_B1));
  const p2 = fmaFast(r2, LOG_B6, fmaSplit(r, rh, rl, LOG_B5, LOG_B5_HI, LOG_B5_LO, LOG_B4));
  const q3 = fmaFast(r3, LOG_B10, fmaFast(r2, LOG_B9, fmaSplit(r, rh, rl, LOG_B8, LOG_B8_HI, LOG_B8_LO, LOG_B7)));
  const q1 = fmaFast(fmaFast(q3, r3, p2), r3, p1);
  const lo = rlo === 0 ? lo0 : fmaFast(LOG_B0 * rlo, rhi + r, lo0);
  return hi + fmaFast(q1, r3, lo);
}

/**
 * glibc's log(x) as run on x86_64 CPUs with FMA and AVX2 (__log_fma), bit for bit.
 * https://github.com/bminor/glibc/blob/release/2.36/master/sysdeps/ieee754/dbl-64/e_log.c
 *
 * r = fma(z, invc, -1) is computed exactly (one rounding). The rest is evaluated unfused first: the result is
 * RN(hi + y) in both builds and the fused y differs from the unfused one by < 2^-67 (|y| < 2^-16.9, so each rounding
 * is < 2^-70; lo's fused product changes it by < 2^-85). When hi + (y -+ 2^-64) round to the same double, so does the
 * fused result; otherwise (about 0.01% of inputs; measured maximum difference 2^-69) the fused evaluation is emulated
 * exactly (log_finishFma).
 */
export function log(x: number): number {
  if (x >= LOG_NEAR1_LO && x < LOG_NEAR1_HI) return x === 1 ? 0 : log_near1Fma(x);
  let kadj = 0;
  if (!(x >= LOG_2M1022 && x < Infinity)) {
    if (!(x > 0) || x === Infinity) return log_special(x);
    x *= LOG_2P52; // subnormal: normalize
    kadj = 52;
  }
  // x = 2^k z with z in [0x1.6p-1, 0x1.6p0): tmp = ix - 0x3fe6000000000000 (only the high word matters)
  LOG_F64[0] = x;
  const hx = LOG_U32[LOG_HI]!;
  const tmp = (hx - 0x3fe60000) | 0;
  const i = (tmp >> 13) & 127;
  const k = tmp >> 20;
  const kd = k - kadj;
  const z = x * LOG_POW2[1024 - k]!; // exact: iz = ix - (tmp & 0xfff << 52)
  const invc = LOG_INVC[i]!;
  // r = fma(z, invc, -1.0): z * invc is within 2^-8 of 1, so p - 1 is exact and only the final sum rounds
  const p = z * invc;
  const zs = FMA_SPLITTER * z;
  const zh = zs - (zs - z);
  const zl = z - zh;
  const ih = LOG_INVC_HI[i]!;
  const il = LOG_INVC_LO[i]!;
  const r = p - 1.0 + (zh * ih - p + zh * il + zl * ih + zl * il);
  // hi + lo = r + log(c) + k*Ln2; kd * Ln2hi is exact (fused or not)
  const w = kd * LOG_LN2HI + LOG_LOGC[i]!;
  const hi = w + r;
  const r2 = r * r;
  const y = w - hi + r + kd * LOG_LN2LO + r2 * LOG_A0 + r * r2 * (LOG_A1 + r * LOG_A2 + r2 * (LOG_A3 + r * LOG_A4));
  const a = hi + (y - LOG_MARGIN);
  if (a === hi + (y + LOG_MARGIN)) return a;
  return log_finishFma(kd, r, w, hi);
}

/** __log_fma from r on, every fused operation emulated exactly. */
function log_finishFma(kd: number, r: number, w: number, hi: number): number {
  // lo = w - hi + r + kd * Ln2lo -> fma(kd, Ln2lo, w - hi + r)
  const lo = fmaSplit(kd, kd, 0, LOG_LN2LO, LOG_LN2LO_HI, LOG_LN2LO_LO, w - hi + r);
  // y = lo + r2 * A0 + r * r2 * (A1 + r * A2 + r2 * (A3 + r * A4)) + hi
  //   -> fma(r * r2, fma(fma(r, A4, A3), r2, fma(r, A2, A1)), fma(r2, A0, lo)) + hi
  const rs = FMA_SPLITTER * r;
  const rh = rs - (rs - r);
  const rl = r - rh;
  const r2 = r * r;
  const a12 = fmaSplit(r, rh, rl, LOG_A2, LOG_A2_HI, LOG_A2_LO, LOG_A1);
  const a34 = fmaSplit(r, rh, rl, LOG_A4, LOG_A4_HI, LOG_A4_LO, LOG_A3);
  const y = fmaFast(r * r2, fmaFast(a34, r2, a12), fmaFast(r2, LOG_A0, lo));
  return y + hi;
}

/** Same results as `log` (glibc __log_fma), always through the exact emulation of every fused operation; slower. */
export function logFmaExact(x: number): number {
  if (x >= LOG_NEAR1_LO && x < LOG_NEAR1_HI) return x === 1 ? 0 : log_near1FmaExactFrom(x);
  let kadj = 0;
  if (!(x >= LOG_2M1022 && x < Infinity)) {
    if (!(x > 0) || x === Infinity) return log_special(x);
    x *= LOG_2P52;
    kadj = 52;
  }
  LOG_F64[0] = x;
  const hx = LOG_U32[LOG_HI]!;
  const tmp = (hx - 0x3fe60000) | 0;
  const i = (tmp >> 13) & 127;
  const k = tmp >> 20;
  const kd = k - kadj;
  const z = x * LOG_POW2[1024 - k]!; // exact: iz = ix - (tmp & 0xfff << 52)
  const p = z * LOG_INVC[i]!;
  const zs = FMA_SPLITTER * z;
  const zh = zs - (zs - z);
  const zl = z - zh;
  const ih = LOG_INVC_HI[i]!;
  const il = LOG_INVC_LO[i]!;
  const r = p - 1.0 + (zh * ih - p + zh * il + zl * ih + zl * il);
  const w = kd * LOG_LN2HI + LOG_LOGC[i]!;
  return log_finishFma(kd, r, w, w + r);
}

/**
 * glibc's log(x) on x86_64 CPUs without FMA/AVX2 (the SSE2 build, no contraction, r computed via tab2), bit for bit.
 * https://github.com/bminor/glibc/blob/release/2.36/master/sysdeps/ieee754/dbl-64/e_log.c
 */
export function logNoFma(x: number): number {
  if (x >= LOG_NEAR1_LO && x < LOG_NEAR1_HI) return x === 1 ? 0 : log_near1(x);
  let kadj = 0;
  if (!(x >= LOG_2M1022 && x < Infinity)) {
    if (!(x > 0) || x === Infinity) return log_special(x);
    x *= LOG_2P52;
    kadj = 52;
  }
  LOG_F64[0] = x;
  const hx = LOG_U32[LOG_HI]!;
  const tmp = (hx - 0x3fe60000) | 0;
  const i = (tmp >> 13) & 127;
  const k = tmp >> 20;
  const kd = k - kadj;
  const z = x * LOG_POW2[1024 - k]!; // exact: iz = ix - (tmp & 0xfff << 52)
  const r = (z - LOG_CHI[i]! - LOG_CLO[i]!) * LOG_INVC[i]!;
  const w = kd * LOG_LN2HI + LOG_LOGC[i]!;
  const hi = w + r;
  const lo = w - hi + r + kd * LOG_LN2LO;
  const r2 = r * r;
  return lo + r2 * LOG_A0 + r * r2 * (LOG_A1 + r * LOG_A2 + r2 * (LOG_A3 + r * LOG_A4)) + hi;
}
