# ruff: noqa: E501
"""Hand-written English base messages that are hard on purpose (format: see `seeds_de.py`).

Negation both ways ("not happy", "not a single dropout"), praise that turns at "but", irony,
intensifiers, very short texts, rants that are not about the brand, and the borderlines between
complaint and crisis, question and lead, compliment and other. About half share a situation with
`seeds_de_hard.py`; the rest were written in English directly. Written for this corpus like
the other seeds; none is copied from a public data set or website.
"""

LANGUAGE = "en"

SEEDS = r"""
[complaint]
neg other | Not good enough, Telvana. Not even close.
neg technical_fault | Really not happy. Second replacement router and the wifi still isn't stable.
neg other | Your support was not helpful at all. Asked three times, got three different answers.
neg product_quality | The kettle isn't even a month old and the lid won't close. Not impressed.
neg delivery | Cheers for nothing @kaufwerk. Parcel has been sitting at the depot for five days and nobody knows why.
neg account | Your website is no use on a phone. Checkout button hides behind the cookie banner every time.
neg network | "Superfast broadband". Not in my house. 14 Mbps every evening.
neg contract | Loyalty clearly means nothing to you. 11 years a customer and I pay more than someone who joined last week.
neg delivery | didnt even get a shipping confirmation let alone the parcel
neg product_quality | The toaster only toasts one side. Not exactly rocket science, is it?
neg billing +question | Why is there a £4 "paper bill fee" when I never asked for paper bills?
neg technical_fault | So disappointed. The streaming stick freezes every 20 minutes and support keeps telling me to restart it.
neg returns | Absolutely fed up: you claim my return never arrived although I have the drop-off receipt.
neg contract | Price went up mid-contract "due to inflation". Funny how my salary didn't.
neg network | As usual, the second there's a football match on, mobile data in the stadium is dead.
neg other | Nope. Not doing this again. 40 minutes on hold.
neg product_quality | Gorgeous trainers, shame the sole came off after a fortnight.
neg appointment | The engineer was on time, I'll give you that. He just didn't fix anything and left after 10 minutes.
neg delivery | Three "delivery attempts" while I was sitting right next to the door. Not one knock.
neg other | Never again, Kaufwerk. Once and never again.
neg billing | I've explained this bill to three different agents now. Not one of them could tell me what the £12 is for.
neg account | Password reset doesn't work, hotline doesn't answer, chat doesn't reply. Brilliant.
neg product_quality | Nothing like the photos. The "velvet" sofa cover feels like a bin bag.
neu returns +question | The lamp arrived with the shade cracked. What do you need from me to send a replacement?
neu delivery | I received size M instead of L for order 55102. Please arrange an exchange.
neu billing | The discount I was promised on the phone is not on this month's invoice. Please apply it.
neg technical_fault | Landline down again. Third time this month. If I hear "our engineers are working on it" once more...
neg network | Not even one bar in the office car park, and you claim 99% coverage.
neg other | Your reply here completely missed my question. Did anyone actually read it?
neg delivery | Not funny when the birthday present turns up after the birthday. Thanks a lot.
neg product_quality | Screen protector bubbled up within a day. Pretty poor for £20.
neg contract | Cancellation confirmed, and the bills keep coming anyway. I feel like I'm being taken for a ride.
neg account | Why does the app forget my login every single time? It's so incredibly annoying.
neg other | You really have no idea what you're doing, do you?
neg delivery | Next day delivery. Ha. Good one. Day 6.
neg product_quality | The "noise cancelling" headphones cancel absolutely nothing. Wind noise is worse than without them.
neg network | not good. signal gone again in the whole street
neg other | Not a fan of the new hold music. Or the hold. Mostly the hold.

[compliment]
pos technical_fault | Not a single dropout since the router swap. Thanks to the engineer!
pos delivery | No delay, no damage, no drama. Online shopping the way it should be.
pos other | Honestly had zero expectations of the hotline, but the woman I spoke to was incredibly kind and sorted everything.
pos product_quality | Wasn't cheap, but worth every penny. The coffee grinder is a joy to use.
pos network | Streamed the whole final on the train without a single buffer. Didn't think that was possible.
pos returns | Sent back the wrong size on Monday, new one here on Wednesday. No questions asked.
pos other | Top notch 👍
pos other | Not too shabby, your new chat.
pos billing | Spotted a mistake on my bill, you'd already fixed it before I called. Impressive.
pos account | Love that I can pause my plan in the app while I'm travelling. So handy.
pos product_quality | Zero complaints about the dishwasher after two years. Quiet and spotless.
pos delivery | Driver waited while I ran down four flights of stairs. Absolute star.
pos other | Can't complain, really can't. Everything went smoothly.
pos technical_fault | No faffing about, no script, just fixed. That's how support should work.
pos other | I was sceptical at first, but the advice in the store won me over. Thanks to Mr Yilmaz!
pos contract | Moved house and the broadband moved with me without a day offline. Impressive!
pos product_quality | Really pleasantly surprised by the quality of the bedding. Didn't expect that at this price.
pos other | You lot never let me down ❤️
pos delivery | Not only quick but wrapped so nicely it felt like a gift 😊
pos other | The young guy in the Bristol store explained everything twice without rolling his eyes once. Thank you!
pos network | Finally a proper signal at my allotment. Small thing, makes a big difference.
pos other | Just wanted to say thanks, you honestly saved my day today.
pos product_quality | The running shoes are brilliant. No knee pain since I switched.
pos other | Never thought I'd praise a call centre. But: thank you, Priya!
pos returns | Refund the very next day. Really can't fault that.
pos other | 10 out of 10, would order again.
pos technical_fault | Thanks for staying on the line until the TV was working again. Much appreciated.

[other]
neg other | Not in a good mood today. Just one of those days.
neg other | Why is the bus never on time? Same circus every morning.
neg other | That new season is not good. Eight episodes of nothing.
neg other | Just spilled coffee all over my laptop bag. Brilliant start 😩
pos other | Bank holiday weekend, finally 🎉
neu other | Has anyone seen a grey cat near the park? She's called Pepper.
neu other | Ok, got it.
neg other | I don't like November. Too wet, too grey.
pos other | Greetings from a very sunny Cornwall 🌊
neu other | ..
neu other | Sorry, that was meant for someone else.
neg other | The neighbours' dog has been barking since 6am. I'm losing it.
pos other | Happy new year everyone! 🥂
neu other | When do the clocks go forward this year?
neg other | Can't be bothered with Monday.
neu other | Did I miss something?
pos other | What a game last night!
neu other | Anyone know a decent plumber in Leeds?

[question]
neu contract | Isn't porting my number supposed to be free? Or is there a fee after all?
neu delivery | Can't I just pick the parcel up in store instead of having it delivered?
neu account | I can't find where to turn off marketing emails in my account. Where is that setting?
neu roaming | Does my plan cover calls from Norway back home, or isn't that included?
neu billing | Why is my bill dated the 3rd and not the 1st of the month?
pos technical_fault +compliment | The new mesh wifi is fantastic! Can I add a third unit myself?
neu returns | Can I return something bought online to a store, or does it have to go by post?
neu payment | Does the direct debit not go out automatically, or do I need to pay manually this month?
neu appointment | Can the installation be done on a Saturday? I'm not home during the week.
neu product_quality | Is the sofa cover machine washable or dry clean only?
neu account | Can I have two phone numbers under one login?
neu network | Is there any planned maintenance in Sheffield tonight? Just checking before a call.
neu delivery | Do you deliver to Ireland?
neu contract | If I go abroad for six months, can I pause my contract?

[crisis]
neg product_quality | The laptop charger from your shop got so hot it left burn marks on my desk. Doesn't bear thinking about if I hadn't been home.
neg account | Your agent read my bank details out over the phone to a stranger. That's a data breach and it's going to the ICO.
neg other | Your new ad mocks disabled people. I'm not the only one who's furious, it's all over my feed.
neg network | 999 calls failing across the whole county for hours. That's not an outage any more, that's life-threatening.
neg contract +complaint | Two years of wrong bills, no response to five complaints. My solicitor is handling it now.
neg other | A journalist from the Echo asked me about your debt collection letters. I've agreed to talk to her.
neg product_quality | The space heater I bought from you sparked and the plug melted. Could have burnt the flat down.
neg account | Your password reset sends the link to whatever email you type in. Anyone can take over any account. Fix this now.
neg other | Thousands of us are organising a boycott over the way you treated the warehouse staff. #BoycottKaufwerk

[untruth]
neg network | Telvana is secretly fitting surveillance cameras to the new 5G masts. A mate of mine has photos.
neu billing | Has anyone else heard that from autumn Telvana landline calls will cost extra even on unlimited plans?
pos other | Lumara is giving everyone a free scarf this weekend if you just say the word "autumn" at the till! 🎉
neg product_quality | Kaufwerk's own-brand electronics are just returned goods with new stickers. Everyone who works there knows.
neg account | Apparently Telvana reads all your texts to sell ads. It's in the new privacy policy, just well hidden.
neu delivery | Word is Kaufwerk is stopping Saturday deliveries for good from next month.

[lead]
neg contract | My contract with the other lot ends in March and I'm not happy with them. What can you offer me?
neu network,contract | Is fibre with you worth it if it's just the two of us and we don't stream much?
pos product_quality | The green coat from your window display is gorgeous. Do you still have it in a 12? I'd order it today.
neg contract | Had it with my current provider, constant dropouts. How quickly could you connect me?
neu contract | Need a plan for my mum, mostly calls, hardly any data. What's the cheapest you do?
neu product_quality | Is the robot vacuum from the ad still in stock? I'll pick it up today if so.
neu contract | Do you do a business broadband package for a small shop with a card machine?

[spam]
pos other | 💸 I'll show you how to make $300 with just 10 minutes a day. Comment "YES" below!
neu account | Dear Kaufwerk customer, your account is about to expire. Please verify it here: kaufwerk-account-check.info
pos other | Giving away 3 PlayStations to everyone who follows me and shares this post 🎮🎮🎮
neu other | Cheap sunglasses, all brands, today only 90% off: sunglass-deal24.shop
"""
